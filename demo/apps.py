from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo organisation and `manage.py seed_demo`: the top layer, which
    imports every app and is imported by none."""

    name = "demo"
