"""Reading JSON that someone outside sent: a request body, a WebSocket frame.

`json.loads` recurses once per level of nesting, so `"[" * 30000` raises
RecursionError, which no `except ValueError` catches: a view answered 500 and the
live consumer died with it. Everything Crossgov reads is a flat object, so
`loads` bounds the size before parsing and the depth after (a depth Python's own
limit refuses counts as too deep too), and every refusal is one `Refused`
(a ValueError) that callers turn into a 400 or an `invalid` frame.
"""

from __future__ import annotations

import json
from typing import Any

# Deep enough for any object Crossgov reads, shallow enough to walk cheaply.
MAX_DEPTH = 32


class Refused(ValueError):
    """The JSON was not read; `message` says why, to the person who sent it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _too_deep(value: Any, max_depth: int) -> bool:
    # A stack, not recursion: walking must not hit the limit parsing just avoided.
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _size(data: str | bytes) -> int:
    return len(data) if isinstance(data, bytes) else len(data.encode("utf-8"))


def loads(
    data: str | bytes,
    *,
    what: str = "The request",
    max_bytes: int | None = None,
    max_depth: int = MAX_DEPTH,
) -> Any:
    """The value `data` holds, or `Refused` if it is larger than `max_bytes`
    (UTF-8), nested more than `max_depth` arrays or objects deep, or not JSON.
    `what` names the thing in the messages ("The frame")."""
    # len() first: a string too long in characters is never encoded.
    if max_bytes is not None and (len(data) > max_bytes or _size(data) > max_bytes):
        raise Refused(f"{what} may be at most {max_bytes // 1024} KB.")
    try:
        value = json.loads(data)
    except RecursionError as error:
        raise Refused(_deep_message(what, max_depth)) from error
    except ValueError as error:  # JSONDecodeError, and bytes that are not UTF-8
        raise Refused(f"{what} is not valid JSON.") from error
    if _too_deep(value, max_depth):
        raise Refused(_deep_message(what, max_depth))
    return value


def _deep_message(what: str, max_depth: int) -> str:
    return f"{what} nests too deeply: at most {max_depth} levels of JSON."
