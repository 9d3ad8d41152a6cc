import pytest

from tests.demo.seeding import DEMO_SETTINGS


@pytest.fixture(autouse=True)
def demo_settings(settings):
    for name, value in DEMO_SETTINGS.items():
        setattr(settings, name, value)
