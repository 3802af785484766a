"""Text handling shared by ingestion, matching and search: the only copy.

Text as published is never changed; `normalise` builds a separate key for comparing
spellings. Arabic-script languages (Urdu, Persian, Arabic) write the same word with
different code points (ي/ی, ك/ک, ہ/ه, ئی/ی), with optional diacritics, tatweel and
zero-width joiners; those differences must not decide whether two texts match.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Bidi controls carry no meaning for matching: LRM, RLM, ALM, embeddings, overrides, isolates.
_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# ZWNJ/ZWJ: Persian writes می‌خواهم, میخواهم and می خواهم for one word; joining the halves
# makes the first two equal, and the tokeniser splits none of them into noise.
_JOINERS = "\u200c\u200d"
_TATWEEL = "\u0640"

_ARABIC_DIACRITICS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u08d3-\u08ff]"
)

_LETTER_MAP = str.maketrans(
    {
        # yeh forms (Arabic, Farsi, alef maksura, Urdu yeh barree, Pashto e)
        "\u064a": "\u06cc",
        "\u0649": "\u06cc",
        "\u06d2": "\u06cc",
        "\u06d3": "\u06cc",
        "\u06d0": "\u06cc",
        # kaf forms
        "\u0643": "\u06a9",
        "\u06aa": "\u06a9",
        # heh forms: Urdu heh goal, Kurdish ae, heh doachashmee, heh with hamza, teh marbuta
        "\u06c1": "\u0647",
        "\u06d5": "\u0647",
        "\u06be": "\u0647",
        "\u06c0": "\u0647",
        "\u06c2": "\u0647",
        "\u0629": "\u0647",
        # alef with hamza or madda, alef wasla
        "\u0622": "\u0627",
        "\u0623": "\u0627",
        "\u0625": "\u0627",
        "\u0671": "\u0627",
        "\u0672": "\u0627",
        "\u0673": "\u0627",
        # hamza on waw and yeh seats; a bare hamza is dropped
        "\u0624": "\u0648",
        "\u0626": "\u06cc",
        "\u0621": None,
    }
)
# Urdu writes a hamza seat before yeh where Persian writes yeh alone: آذربائیجان / آذربایجان.
_HAMZA_SEAT_BEFORE_YEH = re.compile("\u0626(?=[\u06cc\u064a\u06d2])")

_WHITESPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")


def _unify_digits(text: str) -> str:
    # Every decimal digit (Arabic-Indic, Extended Arabic-Indic, Devanagari...) becomes ASCII.
    return "".join(
        str(unicodedata.digit(ch)) if ch > "\x7f" and unicodedata.category(ch) == "Nd" else ch
        for ch in text
    )


def normalise(text: str) -> str:
    """Return the comparison key of `text`: same words in any spelling give the same key."""
    # NFKC rather than NFC: it also folds Arabic presentation forms (ﻻ) and full-width Latin.
    text = unicodedata.normalize("NFKC", text)
    text = text.translate({ord(ch): None for ch in _BIDI_CONTROLS + _JOINERS + _TATWEEL})
    text = _ARABIC_DIACRITICS.sub("", text)
    text = _HAMZA_SEAT_BEFORE_YEH.sub("", text)
    text = text.translate(_LETTER_MAP)
    # casefold() turns Turkish/Azerbaijani İ into i + combining dot; drop the dot.
    text = text.casefold().replace("\u0307", "")
    text = _unify_digits(text)
    return _WHITESPACE.sub(" ", text).strip()


def tokenise(text: str) -> list[str]:
    """Split text into normalised word tokens (letters and digits, any script)."""
    return _TOKEN.findall(normalise(text))


def content_hash(text: str) -> str:
    """Hash of the normalised text: the same article under two URLs or encodings collides."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()
