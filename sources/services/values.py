"""Checks for values read from outside (article files, claim files) before they are written.

Every check returns a problem as a phrase that names the field ("author is 412 characters,
over the 300 its column holds"), or None; the caller prefixes where the value came from.
PostgreSQL refuses a NUL character in text, and the text of an article or claim is stored
exactly as given, so a value containing NUL is refused rather than silently changed.
"""

from __future__ import annotations

import csv
import json
import re
from typing import Any

from sources.models import LANGUAGE_CODE_RE, Article

# A record is a flat object, a claim's variants one level more; no honest file goes deeper.
# Python's parser would overflow its stack near 1,000 levels and take the process with it.
MAX_JSON_DEPTH = 20
_TOO_DEEP = f"JSON nested deeper than {MAX_JSON_DEPTH} levels"
LANGUAGE_MAX_CHARS = Article._meta.get_field("language").max_length
_SHOWN_CHARS = 40


class ValueProblem(ValueError):
    """A value cannot be read or stored; the message names what is wrong with it."""


def shown(value: object) -> str:
    """A value for an error message: its repr, cut short so a huge value stays readable."""
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def text_problem(name: str, value: str, *, max_chars: int | None = None) -> str | None:
    if "\x00" in value:
        return f"{name} contains a NUL character (U+0000), which text cannot hold"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        # JSON may spell half of a surrogate pair (\ud800) that no UTF-8 text can hold.
        return f"{name} holds {shown(exc.object[exc.start : exc.end])}, which is not text"
    if max_chars is not None and len(value) > max_chars:
        return f"{name} is {len(value):,} characters, over the {max_chars:,} allowed"
    return None


def language_problem(name: str, value: str) -> str | None:
    """A language is a BCP 47 tag: `en`, `ur`, `az-Latn`, `pt-BR`, at most 35 characters."""
    if len(value) > LANGUAGE_MAX_CHARS or not re.fullmatch(LANGUAGE_CODE_RE, value):
        return (
            f"{name} {shown(value)} is not a BCP 47 language tag such as 'en', 'ur' or "
            f"'az-Latn' (lower-case language, then optional subtags, at most "
            f"{LANGUAGE_MAX_CHARS} characters)"
        )
    return None


def json_load(line: str) -> Any:
    """Parse one JSON document nested at most MAX_JSON_DEPTH deep, or raise ValueProblem."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueProblem(f"malformed JSON ({exc.msg}, column {exc.colno})") from None
    except RecursionError:
        raise ValueProblem(_TOO_DEEP) from None
    if _depth_over(data, MAX_JSON_DEPTH):
        raise ValueProblem(_TOO_DEEP)
    return data


def _depth_over(data: Any, limit: int) -> bool:
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            pending.extend((child, depth + 1) for child in children)
    return False


def csv_field_limit_raise(text: str) -> None:
    """Let the csv module read any cell of `text`: its default refuses cells over 131,072
    characters and stops the file there. The file is in memory already, so no cell can cost
    more than the file; each field's own limit is checked afterwards, naming its row."""
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
