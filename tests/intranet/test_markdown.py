from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intranet.markdown import ALLOWED_TAGS, render_markdown


class Elements(HTMLParser):
    """Every element and attribute the browser would build from the HTML."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_harmless(html):
    for tag, attrs in Elements(html).found:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name == "href":
                assert value.split(":")[0].lower() in {"http", "https", "mailto"} or (
                    ":" not in value
                ), value


def test_renders_common_markdown():
    html = render_markdown("# Title\n\nSome **bold** and a [link](https://gov.uk).")
    assert "<strong>bold</strong>" in html
    assert '<a href="https://gov.uk" rel="noopener nofollow">link</a>' in html
    # h1 belongs to the page, not to what people write.
    assert "<h1>" not in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        '<a href="https://x" onclick="alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_script_never_gets_through(attack):
    html = render_markdown(attack)
    assert_harmless(html)
    assert not any(tag == "a" for tag, _ in Elements(html).found)


@given(st.text(max_size=300))
def test_any_text_renders_harmless(text):
    assert_harmless(render_markdown(text))
