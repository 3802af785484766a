"""Every admin list and change page renders the seed data, right-to-left text included."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ExportRun, Statement, Suggestion
from sources.models import Feed, IngestionRun, Source
from tests.factories import ArticleFactory, SourceFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

MADE_FOR_THE_TEST = {
    Suggestion: lambda: SuggestionFactory(
        statement=Statement.objects.first(), claim=Claim.objects.last()
    ),
    Feed: lambda: Feed.objects.create(
        source=Source.objects.first(), url="https://www.mehrnews.com/rss"
    ),
    IngestionRun: lambda: IngestionRun.objects.create(
        kind="feed",
        target="https://www.mehrnews.com/rss",
        status="partial",
        finished_at=timezone.now(),
        failed=1,
        errors=[{"where": "line 3", "error": "line 3: malformed JSON"}],
    ),
}

MODELS = [model for model in admin.site._registry if model._meta.app_label in {"sources", "claims"}]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_list_and_change_pages_render(admin_client, seeded, model) -> None:
    meta = model._meta
    listing = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert listing.status_code == 200
    if model in MADE_FOR_THE_TEST:  # the seed story has none of these
        MADE_FOR_THE_TEST[model]()
    if model is ExportRun:  # written by exports only: run one
        b"".join(admin_client.post(reverse("claims:export_claims")).streaming_content)
    obj = model.objects.first()
    assert obj is not None, f"the seed data has no {meta.verbose_name}"
    change = admin_client.get(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    )
    assert change.status_code == 200
    add = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    # Ingestion and export runs are records of what happened: nobody adds one by hand.
    assert add.status_code == (403 if model in {IngestionRun, ExportRun} else 200)


def test_urdu_statements_are_marked_right_to_left_in_the_list(admin_client, seeded) -> None:
    page = admin_client.get(reverse("admin:claims_statement_changelist")).content.decode()
    assert '<span dir="auto" lang="ur">اس سلسلے میں اٹھائے گئے تمام دعوے' in page


def test_text_inputs_take_their_direction_from_their_content(admin_client, seeded) -> None:
    statement = Statement.objects.first()
    page = admin_client.get(reverse("admin:claims_statement_change", args=[statement.pk]))
    textarea = re.search(r'<textarea[^>]*name="text"[^>]*>', page.content.decode())
    assert textarea is not None
    assert 'dir="auto"' in textarea.group(0)


def test_speaker_search_finds_a_variant_spelling(admin_client, seeded) -> None:
    # Arabic yeh in the query, Farsi/Urdu yeh in the stored alias.
    page = admin_client.get(reverse("admin:claims_speaker_changelist"), {"q": "مصطفياف"})
    assert "Shahin Mustafayev" in page.content.decode()
    assert "Masoud Pezeshkian" not in page.content.decode()


def test_the_admin_stylesheet_names_urdu_fonts(admin_client, seeded) -> None:
    page = admin_client.get(reverse("admin:index")).content.decode()
    link = re.search(r'<link rel="stylesheet" href="/static/(claims/admin\.css)">', page)
    assert link is not None
    stylesheet = Path(finders.find(link.group(1))).read_text()
    assert "Noto Nastaliq Urdu" in stylesheet
    assert "unicode-bidi: plaintext" in stylesheet


def test_count_columns_show_and_sort_by_their_counts(admin_client) -> None:
    quiet, busy = SourceFactory(), SourceFactory()
    ArticleFactory.create_batch(2, source=busy)
    page = admin_client.get(reverse("admin:sources_source_changelist"), {"o": "-6"})
    assert [source.pk for source in page.context["cl"].result_list] == [busy.pk, quiet.pk]
    html = page.content.decode()
    assert '<td class="field-article_count">2</td>' in html


@pytest.mark.parametrize("page", ["abc", "-1", "99999999999999999999999", "9" * 5000])
@pytest.mark.parametrize(
    "changelist", ["admin:claims_statement_changelist", "admin:claims_claim_changelist"]
)
def test_a_changelist_page_that_cannot_exist_is_no_server_error(
    admin_client, seeded, changelist, page
) -> None:
    assert admin_client.get(reverse(changelist), {"p": page}).status_code < 500


def test_a_20000_word_statement_search_in_the_admin_is_no_server_error(
    admin_client, seeded
) -> None:
    words = " ".join(f"w{n}" for n in range(20_000))
    page = admin_client.get(reverse("admin:claims_statement_changelist"), {"q": words})
    assert page.status_code == 200


SEARCHABLE = [model for model in MODELS if admin.site._registry[model].search_fields]


@pytest.mark.parametrize("model", SEARCHABLE, ids=lambda model: model._meta.label)
def test_a_search_box_that_searched_only_the_first_words_says_so(admin_client, model) -> None:
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    words = " ".join(f"w{n}" for n in range(20_000))
    page = admin_client.get(url, {"q": words})
    assert page.status_code == 200
    assert "Only the first 50 words (of the first 1,000 characters) were searched." in (
        page.content.decode()
    )
    assert page.context["cl"].query.split() == [f"w{n}" for n in range(50)]


def test_a_short_admin_search_says_nothing_of_a_cap(admin_client) -> None:
    page = admin_client.get(reverse("admin:claims_claim_changelist"), {"q": "w0 w1"})
    assert "Only the first" not in page.content.decode()
