"""Speakers read from the sentence in Urdu, Persian and Arabic, with nobody registered.

The sentences are our own, written in the agencies' style; the real annotated articles in
../shared/benchmarks/extraction are measured by `manage.py evaluate_extraction --data`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from claims.models import ArticleExtraction, Speaker, Statement, Suggestion
from claims.services.extraction.finding import statements_find
from claims.services.extraction.storing import article_extract
from claims.services.speakers import SpeakerIndex
from sources.text import normalise
from tests.factories import ArticleFactory

EMPTY = SpeakerIndex([])


def _found(body: str, language: str, index: SpeakerIndex = EMPTY):
    return [
        (f.speaker.name if f.speaker else None, f.role, f.text)
        for f in statements_find(body, language, index)
    ]


def test_an_unknown_urdu_name_before_ne_is_the_speaker_and_the_title_its_role() -> None:
    body = "وزیراعظم شہباز شریف نے کہا کہ حکومت بجلی کی قیمتیں کم کرے گی۔"
    assert _found(body, "ur") == [("شہباز شریف", "وزیراعظم", "حکومت بجلی کی قیمتیں کم کرے گی")]


def test_urdu_pronouns_and_bare_titles_refer_back_to_the_last_speaker() -> None:
    body = (
        "پاکستان کرکٹ بورڈ کے چیئرمین محسن نقوی نے کہا کہ ٹیم مکمل طور پر تیار ہے۔ "
        "انہوں نے کہا کہ شائقین اسٹیڈیم ضرور آئیں۔ "
        "چیئرمین کا کہنا تھا کہ ٹکٹوں کی فروخت کل سے شروع ہوگی۔"
    )
    speakers = {name for name, _, _ in _found(body, "ur")}
    assert speakers == {"محسن نقوی"}


def test_a_role_with_no_name_names_the_office_as_an_organisation() -> None:
    body = "دفتر خارجہ کی ترجمان نے کہا کہ پاکستان اس معاملے پر خاموش نہیں رہے گا۔"
    [found] = statements_find(body, "ur", EMPTY)
    assert found.speaker.name == "دفتر خارجہ کی ترجمان"
    assert found.speaker.kind == "organisation"


def test_unnamed_sources_are_found_but_have_no_speaker() -> None:
    body = "ذرائع کے مطابق وفاقی کابینہ کا اجلاس کل طلب کر لیا گیا ہے۔"
    [found] = statements_find(body, "ur", EMPTY)
    assert found.speaker is None


def test_according_to_an_organisation_makes_it_the_speaker() -> None:
    body = "پاکستان محکمہ موسمیات کے مطابق آئندہ تین روز تک بارش کا امکان ہے۔"
    [found] = statements_find(body, "ur", EMPTY)
    assert (found.speaker.name, found.speaker.kind) == ("پاکستان محکمہ موسمیات", "organisation")


def test_a_persian_verb_final_sentence_with_a_long_title_yields_its_statement() -> None:
    body = (
        "سخنگوی وزارت امور خارجه، مهدی کاظمی، در نشست خبری هفتگی خود ادعای استفاده از خاک "
        "جمهوری آذربایجان برای حمله به ایران را تکذیب کرد."
    )
    [found] = statements_find(body, "fa", EMPTY)
    assert found.speaker.name == "مهدی کاظمی"
    assert found.role == "سخنگوی وزارت امور خارجه"
    assert found.cue_stance == "denies"


def test_persian_wi_refers_back_and_the_colon_opens_the_quote() -> None:
    body = (
        "علی باقری معاون وزیر امور خارجه گفت: «مذاکرات هفته آینده ادامه خواهد داشت». "
        "وی افزود: «هیچ توافقی بدون رفع تحریم‌ها امضا نمی‌شود»."
    )
    found = _found(body, "fa")
    assert [name for name, _, _ in found] == ["علی باقری", "علی باقری"]
    assert found[1][2] == "هیچ توافقی بدون رفع تحریم‌ها امضا نمی‌شود"


# Our own sentences: an office and its holder in commas, then another speaker.
FA_OFFICE_AND_NAME = (
    "وزیر راه و شهرسازی، مسعود افشار، گفت: جاده تا پایان سال باز می‌شود. "
    "نگار یزدانی گفت: قیمت نان افزایش نمی‌یابد."
)
FA_BARE_OFFICE = "وزیر راه و شهرسازی گفت: جاده تا پایان سال باز می‌شود."
FA_OFFICE = "وزیر راه و شهرسازی"


def test_a_persian_office_then_a_name_in_commas_makes_the_name_the_speaker() -> None:
    assert _found(FA_OFFICE_AND_NAME, "fa") == [
        ("مسعود افشار", FA_OFFICE, "جاده تا پایان سال باز می‌شود"),
        ("نگار یزدانی", "", "قیمت نان افزایش نمی‌یابد"),
    ]


def test_a_registered_office_followed_by_a_name_is_the_role_not_the_speaker() -> None:
    index = SpeakerIndex([(7, normalise(FA_OFFICE))])
    found = statements_find(FA_OFFICE_AND_NAME, "fa", index)
    assert [(f.speaker.speaker_id, f.speaker.name, f.role) for f in found] == [
        (None, "مسعود افشار", FA_OFFICE),
        (None, "نگار یزدانی", ""),
    ]


def test_a_registered_office_with_no_name_after_it_is_still_the_speaker() -> None:
    index = SpeakerIndex([(7, normalise(FA_OFFICE))])
    [found] = statements_find(FA_BARE_OFFICE, "fa", index)
    assert found.speaker.speaker_id == 7


def test_a_bare_persian_office_before_a_colon_quote_speaks_as_an_organisation() -> None:
    [found] = statements_find(FA_BARE_OFFICE, "fa", EMPTY)
    assert (found.speaker.name, found.speaker.kind) == (FA_OFFICE, "organisation")
    assert found.text == "جاده تا پایان سال باز می‌شود"


@pytest.mark.django_db
@pytest.mark.parametrize("office_first", [True, False])
def test_an_office_and_its_named_holder_are_stored_alike_in_either_order(office_first) -> None:
    bodies = [FA_BARE_OFFICE, FA_OFFICE_AND_NAME]
    articles = [ArticleFactory(body=body, language="fa") for body in bodies]
    for article in articles if office_first else reversed(articles):
        article_extract(article_id=article.pk)
    office, named = articles
    # Read first, the office is registered under its own name, as an earlier article would.
    assert Speaker.objects.filter(aliases__key=normalise(FA_OFFICE)).count() == 1
    [by_office] = Statement.objects.filter(article=office)
    assert (by_office.speaker.name, by_office.speaker.kind) == (FA_OFFICE, "organisation")
    by_holder = Statement.objects.get(article=named, text__startswith="جاده")
    assert (by_holder.speaker.name, by_holder.speaker_role) == ("مسعود افشار", FA_OFFICE)
    assert by_holder.speaker.kind == "person"


def test_an_arabic_verb_first_sentence_names_its_speaker_after_the_verb() -> None:
    body = (
        "نفى المتحدث باسم وزارة الخارجية الأذربيجانية فريد قولييف أن تكون أراضي أذربيجان قد "
        "استخدمت في الهجوم على إيران. وأضاف أن بلاده لن تسمح بذلك أبدا."
    )
    found = statements_find(body, "ar", EMPTY)
    assert [f.speaker.name for f in found] == ["فريد قولييف", "فريد قولييف"]
    assert found[0].role == "المتحدث باسم وزارة الخارجية الأذربيجانية"
    assert found[0].cue_stance == "denies"


def test_an_indefinite_arabic_spokesman_is_an_unnamed_source() -> None:
    body = "وقال متحدث باسم الشرطة إنه لا توجد أدلة على تخطيط المشتبه به لهجوم."
    [found] = statements_find(body, "ar", EMPTY)
    assert found.speaker is None


def test_a_close_spelling_of_a_registered_alias_is_that_speaker() -> None:
    index = SpeakerIndex([(3, normalise("شاہین مصطفیاف"))])
    body = (
        "شاہین مصطفیٰ یوف نے کہا کہ آذربائیجان اپنی سرزمین کسی حملے کے لیے استعمال نہیں ہونے دے گا۔"
    )
    [found] = statements_find(body, "ur", index)
    assert found.speaker.speaker_id == 3


def test_inflected_places_are_never_speakers_in_azerbaijani() -> None:
    body = (
        "Xarici İşlər Nazirliyinin sözçüsü Fərid Quliyev İsrailin İrana hücumu üçün "
        "Azərbaycan ərazisindən istifadə edildiyi barədə iddiaları təkzib edib."
    )
    [found] = statements_find(body, "az", EMPTY)
    assert found.speaker.name == "Fərid Quliyev"
    assert found.cue_stance == "denies"


@pytest.mark.django_db
def test_the_seed_article_into_an_empty_database_names_its_speakers_as_written() -> None:
    body = (Path(settings.BASE_DIR) / "seeds" / "000_aa697601239acc52.txt").read_text()
    article = ArticleFactory(body=body, language="ur")
    result = article_extract(article_id=article.pk)
    assert result.statements >= 10
    denial = Statement.objects.get(article=article, text__contains="اجازت کبھی نہیں دے گا")
    assert denial.speaker.name == "شاہین مصطفیاف"
    assert not denial.speaker.is_confirmed
    assert denial.speaker_role == "نائب وزیر اعظم"
    pezeshkian = Speaker.objects.get(name="پزشکیان")
    assert Statement.objects.filter(article=article, speaker=pezeshkian).count() >= 3
    record = ArticleExtraction.objects.get(article=article)
    assert record.statements == result.statements


@pytest.mark.django_db
def test_a_new_name_in_two_articles_is_one_unconfirmed_speaker() -> None:
    body = "وزیر اطلاعات عطا اللہ تارڑ نے کہا کہ انتخابات وقت پر ہوں گے۔ ({})"
    for number in range(2):
        article = ArticleFactory(body=body.format(number), language="ur")
        article_extract(article_id=article.pk)
    assert Speaker.objects.filter(aliases__key=normalise("عطا اللہ تارڑ")).count() == 1


DENIALS = {
    "ur": "آذربائیجان کے وزیر خارجہ جیحون بیراموف نے اس بات کی تردید کی کہ آذربائیجان نے "
    "ایران پر حملے کے لیے اپنی زمین استعمال کرنے کی اجازت دی۔",
    "fa": "جیحون بایراموف وزیر امور خارجه جمهوری آذربایجان این ادعا را که جمهوری آذربایجان "
    "اجازه داد از خاکش برای حمله به ایران استفاده شود تکذیب کرد.",
    "ar": "نفى وزير الخارجية الأذربيجاني جيحون بيراموف أن تكون أذربيجان سمحت باستخدام أراضيها "
    "في الهجوم على إيران.",
}


@pytest.mark.parametrize("language", ["ur", "fa", "ar"])
def test_a_denial_by_an_unregistered_speaker_is_suggested_for_the_territory_claim(
    seeded, language
) -> None:
    article = ArticleFactory(body=DENIALS[language], language=language)
    article_extract(article_id=article.pk, link_in_process=True)
    statement = Statement.objects.get(article=article)
    assert not statement.speaker.is_confirmed
    suggestion = Suggestion.objects.get(
        statement=statement, claim__text__startswith="Azerbaijan allowed its territory"
    )
    assert suggestion.suggested_stance == "denies"


DISTRACTORS = {
    "ur": "آذربائیجان کے وزیر خارجہ جیحون بیراموف نے کہا کہ آذربائیجان اور ایران کے درمیان "
    "تجارت اگلے سال دوگنی ہو جائے گی۔",
    "fa": "جیحون بایراموف وزیر امور خارجه جمهوری آذربایجان گفت: حجم تجارت جمهوری آذربایجان و "
    "ایران سال آینده دو برابر خواهد شد.",
    "ar": "قال وزير الخارجية الأذربيجاني جيحون بيراموف إن حجم التجارة بين أذربيجان وإيران "
    "سيتضاعف العام المقبل.",
}


@pytest.mark.parametrize("language", ["ur", "fa", "ar"])
def test_a_statement_on_the_same_countries_but_another_topic_is_not_suggested(
    seeded, language
) -> None:
    article = ArticleFactory(body=DISTRACTORS[language], language=language)
    article_extract(article_id=article.pk, link_in_process=True)
    statement = Statement.objects.get(article=article)
    assert not Suggestion.objects.filter(
        statement=statement, claim__text__startswith="Azerbaijan allowed its territory"
    ).exists()
