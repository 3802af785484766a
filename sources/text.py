"""Text handling shared by ingestion, matching and search: the only copy.

Text as published is never changed; `normalise` builds a separate key for comparing
spellings. Arabic-script languages (Urdu, Persian, Arabic) write the same word with
different code points (ي/ی, ك/ک, ہ/ه, ئی/ی), with optional diacritics, tatweel and
zero-width joiners; those differences must not decide whether two texts match.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import unicodedata

import Stemmer

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

_TOKEN = re.compile(r"\w+")


# Every decimal digit (Arabic-Indic, Extended Arabic-Indic, Devanagari…) becomes ASCII.
_DIGITS = {
    code: str(unicodedata.digit(chr(code)))
    for code in range(0x80, 0x10000)
    if unicodedata.category(chr(code)) == "Nd"
}
_INVISIBLES = {ord(ch): None for ch in _BIDI_CONTROLS + _JOINERS + _TATWEEL}
# After NFKC and casefold(): digits to ASCII, and Turkish İ's leftover combining dot dropped.
_AFTER_CASEFOLD = {**_DIGITS, 0x0307: None}
# str.translate looks every character up; these find at C speed whether a text needs it at all
# (most text needs one or two of the three).
_HAS_INVISIBLE = re.compile(f"[{_BIDI_CONTROLS}{_JOINERS}{_TATWEEL}]")
_HAS_MAPPED_LETTER = re.compile("[" + "".join(chr(code) for code in _LETTER_MAP) + "]")
_HAS_FOLDED_AFTER = re.compile("[" + "".join(chr(code) for code in _AFTER_CASEFOLD) + "]")


def normalise(text: str) -> str:
    """Return the comparison key of `text`: same words in any spelling give the same key."""
    # NFKC rather than NFC: it also folds Arabic presentation forms (ﻻ) and full-width Latin.
    text = unicodedata.normalize("NFKC", text)
    if _HAS_INVISIBLE.search(text):
        text = text.translate(_INVISIBLES)
    text = _ARABIC_DIACRITICS.sub("", text)
    text = _HAMZA_SEAT_BEFORE_YEH.sub("", text)
    if _HAS_MAPPED_LETTER.search(text):
        text = text.translate(_LETTER_MAP)
    text = text.casefold()
    if _HAS_FOLDED_AFTER.search(text):
        text = text.translate(_AFTER_CASEFOLD)
    # str.split() splits at the whitespace \s matches, and drops it at both ends.
    return " ".join(text.split())


# A word in the original text: letters and digits plus the marks normalise() removes
# (harakat, tatweel, zero-width joiners), so a vocalised word is one token, not three.
_RAW_TOKEN = re.compile(
    "[\\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d]+"
)


@functools.lru_cache(maxsize=200_000)
def _token_key(word: str) -> str:
    # Words repeat across articles; caching their keys makes tokenising several times faster.
    # Usually one word; NFKC can unfold a ligature (ﷺ) into several, joined by spaces.
    return " ".join(_TOKEN.findall(normalise(word)))


def token_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, normalised key) of each word of text[start:end], offsets into `text`.

    A key holds more than one word, space-separated, only where NFKC unfolds a ligature.
    """
    spans = []
    for match in _RAW_TOKEN.finditer(text, start, len(text) if end is None else end):
        key = _token_key(match.group())
        if key:
            spans.append((match.start(), match.end(), key))
    return spans


def tokenise(text: str) -> list[str]:
    """Split text into normalised word tokens (letters and digits, any script)."""
    return _TOKEN.findall(normalise(text))


def content_hash(text: str) -> str:
    """Hash of the normalised text: the same article under two URLs or encodings collides."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


# The languages Claimledger's desks read. Restricting lingua to them keeps detection fast
# and stops it from answering "Punjabi" for short Urdu text.
DETECTABLE_LANGUAGES = ("ur", "fa", "ar", "en", "az", "ru")
# Detection reads the start of a text; a few sentences decide it as well as the whole.
_DETECTION_SAMPLE = 2000


@functools.cache
def _detector():
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in DETECTABLE_LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of the text's language, or "" when it cannot tell."""
    sample = text[:_DETECTION_SAMPLE].strip()
    if not sample:
        return ""
    language = _detector().detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language else ""


# A sentence ends at a full stop (Latin, Urdu ۔), ! or ? (Arabic ؟), with any closing quotes
# or brackets that follow it, before whitespace; or at a line break.
_SENTENCE_END = re.compile(r"[.!?؟۔]+[”»\"’」)\]]*(?=\s)|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, trimmed of surrounding whitespace."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    result = []
    for begin, end in spans:
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if end > begin:
            result.append((begin, end))
    return result


# --- Search terms: what the matcher and search index, per language ---------------------------

# Social-media text (statements quoted from posts, the claim benchmark's tweets): links carry
# no words, and a hashtag or handle written in CamelCase holds the words the post is about.
_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*", re.IGNORECASE)
_TAG = re.compile(r"[#@](\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")

# Snowball stemmers where one exists (PyStemmer); the other languages keep whole words.
_STEMMER_NAMES = {"en": "english", "ru": "russian", "ar": "arabic"}


def _stopwords(words: str) -> frozenset[str]:
    # Written in everyday spelling; stored as normalised keys so ي/ی, ك/ک and ہ/ه all match.
    return frozenset(normalise(word) for word in words.split())


# Arabic, Urdu, Persian and Azerbaijani: our own lists. English and Russian: the NLTK lists
# bm25s ships (for English, measured better on the claim benchmark than Lucene's short list),
# loaded on first use: importing bm25s costs ~0.1 s that web and ingestion need not pay.
_OWN_STOPWORDS = {
    "ar": _stopwords(
        "في من على إلى عن مع أن إن كان كانت هذا هذه ذلك تلك التي الذي الذين و أو ثم قد لقد "
        "كما بعد قبل عند حتى هو هي هم نحن أنا انت كل بين أي ما ماذا إذا لا لن ولا وقد وأن "
        "وفي ومن وعلى به بها له لها فيه فيها منه منها عليه عليها أيضا حيث"
    ),
    "ur": _stopwords(
        "کا کے کی کو میں سے نے پر اور یا ہے ہیں تھا تھی تھے ہو ہوا ہوئی ہوئے گا گی گے کہ جو "
        "یہ وہ اس ان ایک بھی تو ہی تک لیے لئے کر کرتا کرتی کرتے کرنے کیا کی گئی گیا گئے دی "
        "دیا دیے رہا رہی رہے ہوں جب اب بعد ساتھ والے والی والا اپنے اپنی اپنا نہ بہت کچھ کسی "
        "کوئی سب دونوں جا جاتا جاتی جائے کہا انہوں"
    ),
    "fa": _stopwords(
        "و در به از که این آن را با برای است بود شد می هم تا بر یک ها های ای خود نیز یا اما "
        "اگر چه پس هر آنها ما او من شما وی کرد کرده کند کنند شده شود باشد بوده دارد داشت "
        "گفت گفته همه دیگر بین پیش پس روی زیر چون اند ایم"
    ),
    "az": _stopwords(
        "və ilə da də bu o bir üçün ki ya həm amma lakin isə olan olub olaraq etdi edib edir "
        "onun onlar biz mən sən siz nə hər daha çox artıq kimi görə qədər sonra əvvəl bütün "
        "öz özü idi imiş deyə ilə"
    ),
}


@functools.cache
def _stopwords_of(language: str) -> frozenset[str]:
    if language in {"en", "ru"}:
        from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_RUSSIAN

        return _stopwords(" ".join(STOPWORDS_EN_PLUS if language == "en" else STOPWORDS_RUSSIAN))
    return _OWN_STOPWORDS.get(language, frozenset())


_stemmers = threading.local()


def _stem(words: list[str], language: str) -> list[str]:
    name = _STEMMER_NAMES.get(language)
    if name is None:
        return words
    # PyStemmer objects are not thread-safe: one per thread and language.
    stemmer = getattr(_stemmers, name, None)
    if stemmer is None:
        stemmer = Stemmer.Stemmer(name)
        setattr(_stemmers, name, stemmer)
    return stemmer.stemWords(words)


def _unfold_tags(text: str) -> str:
    text = _URL.sub(" ", text)
    # Keep the tag as written and add its words: #ClimateChange → ClimateChange Climate Change.
    return _TAG.sub(lambda m: f"{m.group(1)} {_CAMEL.sub(' ', m.group(1))}", text)


def _base(language: str) -> str:
    # "az-Latn" and "az" share a word list and a stemmer.
    return language.split("-", 1)[0].lower()


def search_terms(text: str, language: str) -> list[str]:
    """Return the terms a text is indexed and searched by: tokens less stopwords, stemmed."""
    return _terms_of(tokenise(_unfold_tags(text)), language)


def words_and_terms(text: str, language: str) -> tuple[list[str], list[str]]:
    """`tokenise(text)` and `search_terms(text, language)` at once.

    A text without links or tags is normalised once for both (normalising is most of either).
    """
    unfolded = _unfold_tags(text)
    words = tokenise(text)
    tokens = words if unfolded == text else tokenise(unfolded)
    return words, _terms_of(tokens, language)


# Each word's search term by language ("" for a stopword). Words repeat from text to text:
# stemming each once makes analysing a text about twice as fast. Started again when it grows
# past the bound (a long-running worker reading years of news).
_KNOWN_TERMS_MAX = 500_000
_known_terms: dict[str, dict[str, str]] = {}


def _terms_of(tokens: list[str], language: str) -> list[str]:
    language = _base(language)
    known = _known_terms.get(language)
    if known is None or len(known) > _KNOWN_TERMS_MAX:
        known = _known_terms[language] = {}
    try:
        return [term for word in tokens if (term := known[word])]
    except KeyError:
        new = list(dict.fromkeys(word for word in tokens if word not in known))
    stopwords = _stopwords_of(language)
    kept = [word for word in new if word not in stopwords]
    fresh = dict.fromkeys(new, "")
    fresh.update(zip(kept, _stem(kept, language), strict=True))
    # One update: another thread never reads a word's "" (stopword) before its stem.
    known.update(fresh)
    return [term for word in tokens if (term := known[word])]


def word_spans(text: str, language: str) -> list[tuple[str, str, int, int]]:
    """Each word of `text` as (normalised word, search term or "" for a stopword, start, end).

    Offsets point into the text as given, so matched words can be highlighted where they stand.
    """
    language = _base(language)
    stopwords = _stopwords_of(language)
    spans = [(word, start, end) for start, end, key in token_spans(text) for word in key.split()]
    stems = _stem([word for word, _, _ in spans if word not in stopwords], language)
    terms = iter(stems)
    return [
        (word, "" if word in stopwords else next(terms), start, end) for word, start, end in spans
    ]
