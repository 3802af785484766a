from __future__ import annotations

import pytest

from claims.models import Speaker, Statement
from claims.services.extraction.finding import statements_find
from claims.services.extraction.spans import Found, without_overlaps
from claims.services.extraction.storing import article_extract
from claims.services.reported_speech import FoundSpeaker
from claims.services.speakers import SpeakerIndex
from sources.models import Article
from sources.text import normalise
from tests.factories import ArticleFactory
from tests.workers import concurrently

pytestmark = pytest.mark.django_db

SEED = "https://urdu.mehrnews.com/news/aa697601239acc52"


def _index(*aliases: tuple[int, str]) -> SpeakerIndex:
    return SpeakerIndex((speaker_id, normalise(name)) for speaker_id, name in aliases)


def _found(body: str, language: str, index: SpeakerIndex):
    return [
        (f.speaker.speaker_id or f.speaker.name, f.kind, f.text)
        for f in statements_find(body, language, index)
    ]


def test_the_seed_denial_is_mustafayevs_and_pezeshkians_words_are_his(seeded) -> None:
    from claims.services.extraction.resolving import speaker_index

    article = Article.objects.get(url=SEED)
    found = statements_find(article.body, "ur", speaker_index())
    speakers = {s.name: s.pk for s in Speaker.objects.all()}
    by_text = {f.text: f for f in found}
    denial = next(f for f in found if "اجازت کبھی نہیں دے گا" in f.text)
    rumours = next(f for f in found if "بالکل جھوٹ" in f.text)
    assert denial.speaker.speaker_id == rumours.speaker.speaker_id == speakers["Shahin Mustafayev"]
    assert denial.role == "نائب وزیر اعظم"
    for gold in Statement.objects.filter(article=article, speaker__name="Masoud Pezeshkian"):
        assert by_text[gold.text].speaker.speaker_id == speakers["Masoud Pezeshkian"]
    for f in found:
        assert article.body[f.start : f.end] == f.text


def test_english_reported_speech_and_he_said() -> None:
    body = (
        "Azerbaijan's Deputy Prime Minister Shahin Mustafayev said that Baku would never allow "
        "its territory to be used against Iran. He said the rumours were completely false."
    )
    found = _found(body, "en", _index((7, "Shahin Mustafayev")))
    assert found == [
        (7, "reported", "Baku would never allow its territory to be used against Iran"),
        (7, "reported", "the rumours were completely false"),
    ]


def test_a_direct_quote_in_guillemets_names_its_speaker() -> None:
    body = "«Мы никогда не позволим использовать нашу территорию против Ирана», — заявил Мустафаев."
    found = _found(body, "ru", _index((3, "Мустафаев")))
    assert found == [
        (3, "quote", "Мы никогда не позволим использовать нашу территорию против Ирана")
    ]


def test_a_declined_russian_name_still_finds_its_speaker() -> None:
    body = "По словам Мустафаева, Азербайджан не позволит использовать свою территорию для атак."
    assert _found(body, "ru", _index((3, "Мустафаев"))) == [
        (3, "reported", "Азербайджан не позволит использовать свою территорию для атак")
    ]


def test_persian_arabic_and_azerbaijani_reported_speech() -> None:
    index = _index((1, "پزشکیان"), (1, "بزشكيان"), (2, "Mustafayev"))
    assert _found("پزشکیان گفت که روابط دو کشور بر پایه برادری است.", "fa", index) == [
        (1, "reported", "روابط دو کشور بر پایه برادری است")
    ]
    assert _found("وقال بزشكيان إن العلاقات بين البلدين أخوية وعميقة.", "ar", index) == [
        (1, "reported", "العلاقات بين البلدين أخوية وعميقة")
    ]
    assert _found(
        "Mustafayev bildirib ki, Azərbaycan heç vaxt buna icazə verməyəcək.", "az", index
    ) == [(2, "reported", "Azərbaycan heç vaxt buna icazə verməyəcək")]


def test_an_unknown_name_is_kept_for_a_new_unconfirmed_speaker() -> None:
    body = "Foreign Minister Abbas Araghchi said that the talks in Muscat were constructive."
    assert _found(body, "en", _index()) == [
        ("Abbas Araghchi", "reported", "the talks in Muscat were constructive")
    ]


def test_extracting_an_article_twice_stores_its_statements_once(seeded) -> None:
    article = ArticleFactory(
        language="en",
        body="Shahin Mustafayev said that the claims about Azerbaijan were baseless lies.",
    )
    first = article_extract(article_id=article.pk)
    again = article_extract(article_id=article.pk)
    assert first.statements == 1 and again is None
    statement = Statement.objects.get(article=article)
    assert statement.speaker.name == "Shahin Mustafayev"
    article.refresh_from_db()
    assert article.status == Article.Status.PROCESSED and article.attempts == 1


def test_an_unknown_speaker_becomes_an_unconfirmed_speaker_once(db) -> None:
    for n in range(2):
        article = ArticleFactory(
            language="en", body=f"Spokesman Ali Karimi said that report {n} was entirely false."
        )
        article_extract(article_id=article.pk)
    speaker = Speaker.objects.get(name="Ali Karimi")
    assert not speaker.is_confirmed
    assert speaker.statements.count() == 2


def test_two_workers_on_one_article_store_its_statements_once(transactional_db) -> None:
    article = ArticleFactory(
        language="en", body="Spokesman Ali Karimi said that the report was entirely false."
    )
    results = concurrently(*[lambda: article_extract(article_id=article.pk)] * 2)
    assert sorted(result is None for result in results) == [False, True]
    assert Statement.objects.filter(article=article).count() == 1


def test_a_failing_article_is_marked_failed_with_the_reason(db) -> None:
    article = ArticleFactory(language="en", body="Ali Karimi said that all is well here.")
    Statement.objects.create(  # the span extraction will find is taken: the insert fails
        article=article,
        speaker=Speaker.objects.create(name="Someone"),
        text=article.body[len("Ali Karimi said that ") : -1],
        start=len("Ali Karimi said that "),
        end=len(article.body) - 1,
    )
    assert article_extract(article_id=article.pk) is None
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "statement_unique_span" in article.error


# --- one quotation, one statement ----------------------------------------------------

LEADING_SYMBOLS = ["+", "@", "#", "(", "$", "<"]


@pytest.mark.parametrize("symbol", LEADING_SYMBOLS)
def test_a_quote_opening_with_a_symbol_is_one_statement(symbol: str) -> None:
    # The quotation keeps its symbol, the report around it starts at the first word: both
    # once became statements, 18–66 and 19–66.
    body = f'John Carter said "{symbol}5% growth is expected in the coming year, he told us."'
    found = statements_find(body, "en", _index())
    assert [(f.start, f.end, f.kind) for f in found] == [(18, len(body) - 2, "quote")]
    assert found[0].text.startswith(f"{symbol}5%")
    assert found[0].speaker.name == "John Carter"


@pytest.mark.parametrize("symbol", LEADING_SYMBOLS)
@pytest.mark.parametrize(
    ("language", "body"),
    [
        ("en", '"{s}5% growth is expected in the coming year," John Carter said.'),
        ("ru", "Джон Картер заявил: «{s}5% роста ожидается в этом году»."),
        ("az", "Con Karter bildirib: «{s}5% artım bu il gözlənilir»."),
        (
            "ur",
            "شاہین مصطفیٰ یوف نے کہا: «{s}آذربائیجان اپنی سرزمین استعمال نہیں ہونے دے گا»۔",
        ),
        (
            "ur",
            "شاہین مصطفیٰ یوف نے کہا کہ “{s}آذربائیجان اپنی سرزمین استعمال نہیں ہونے دے گا”۔",
        ),
        ("fa", "علی باقری معاون وزیر امور خارجه گفت: «{s}مذاکرات هفته آینده ادامه خواهد داشت»."),
        ("fa", "علی باقری معاون وزیر امور خارجه گفت: “{s}مذاکرات هفته آینده ادامه خواهد داشت”."),
        (
            "ar",
            "وقال فريد قولييف المتحدث باسم الوزارة: «{s}إن بلاده لن تسمح بذلك أبدا في المستقبل».",
        ),
        ("ar", "وقال فريد قولييف: “{s}إن بلاده لن تسمح بذلك أبدا في المستقبل”."),
    ],
)
def test_a_quotation_in_any_marks_and_language_is_one_statement(
    symbol: str, language: str, body: str
) -> None:
    body = body.format(s=symbol)
    [found] = statements_find(body, language, _index())
    assert found.kind == "quote"
    assert found.text.startswith(symbol)


def test_overlapping_readings_keep_the_better_attributed_one() -> None:
    known = FoundSpeaker(7, "Shahin Mustafayev")
    unknown = FoundSpeaker(None, "Mustafayev's office")
    body = "x" * 60
    found = without_overlaps(
        [
            Found(0, 40, body[0:40], "reported", unknown),
            Found(1, 40, body[1:40], "quote", known, "deputy prime minister"),
            Found(45, 60, body[45:60], "reported", None),
        ]
    )
    assert [(f.start, f.speaker) for f in found] == [(1, known), (45, None)]
