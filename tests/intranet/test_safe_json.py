"""Reading JSON from outside: nesting, size and malformed input are refused with
one ValueError, never a RecursionError."""

from __future__ import annotations

import pytest

from intranet import safe_json

DEEP = "[" * 30000 + "]" * 30000


def test_flat_json_is_read():
    assert safe_json.loads('{"type": "ping", "n": [1, {"a": 2}]}') == {
        "type": "ping",
        "n": [1, {"a": 2}],
    }
    assert safe_json.loads(b'{"body": "caf\xc3\xa9"}') == {"body": "café"}


@pytest.mark.parametrize(
    "data",
    [
        DEEP,
        DEEP.encode(),
        '{"a":' * 30000 + "1" + "}" * 30000,
        # Deep enough to refuse, not deep enough for Python to refuse it itself.
        "[" * (safe_json.MAX_DEPTH + 1) + "]" * (safe_json.MAX_DEPTH + 1),
    ],
)
def test_deep_nesting_is_refused(data):
    with pytest.raises(safe_json.Refused) as refused:
        safe_json.loads(data, what="The frame")
    assert refused.value.message == (
        f"The frame nests too deeply: at most {safe_json.MAX_DEPTH} levels of JSON."
    )


def test_nesting_up_to_the_limit_is_read():
    depth = safe_json.MAX_DEPTH
    assert safe_json.loads("[" * depth + "]" * depth) is not None


def test_size_is_bounded_in_utf_8_bytes():
    assert safe_json.loads('"' + "x" * 1022 + '"', max_bytes=1024) == "x" * 1022
    with pytest.raises(safe_json.Refused, match="^The request may be at most 1 KB"):
        safe_json.loads('"' + "é" * 600 + '"', max_bytes=1024)  # 600 chars, 1202 B


@pytest.mark.parametrize("data", ["not json", b"\xff\xfe", "", "{'a': 1}"])
def test_what_is_not_json_is_refused(data):
    with pytest.raises(safe_json.Refused, match="^The request is not valid JSON."):
        safe_json.loads(data)
    assert issubclass(safe_json.Refused, ValueError)
