"""CSV exports: exact bytes, formula neutralisation, permissions, streaming, the run record."""

from __future__ import annotations

import csv
import io
import types

import pytest
from django.contrib.auth.models import Permission, User
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode

from claims.models import Claim, ClaimLink, ExportRun, Stance, Statement
from claims.selectors import statement_list
from claims.services.export import (
    STATEMENT_COLUMNS,
    ExportError,
    csv_stream,
    export_csv,
    statements_rows,
)
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    SourceFactory,
    SpeakerFactory,
    StatementFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"


def user_with(*codenames: str) -> User:
    user = User.objects.create_user(f"u{User.objects.count()}", password="pw")
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)  # a fresh instance: permissions are cached per object


def export_bytes(user=None, **filters) -> bytes:
    stream = export_csv(kind="statements", user=user, filters=QueryDict(urlencode(filters)))
    return b"".join(stream)


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_a_statement_export_is_byte_exact_with_urdu_commas_quotes_and_newlines() -> None:
    text = 'انہوں نے کہا، "یہ\nجھوٹ ہے"'
    prefix = "خبر: "
    article = ArticleFactory(
        url="https://mehrnews.com/news/1",
        body=prefix + text,
        language="ur",
        source=SourceFactory(name="Mehr News Agency"),
    )
    statement = Statement.objects.create(
        article=article,
        speaker=SpeakerFactory(name="Shahin Mustafayev"),
        speaker_role="Deputy Prime Minister, Azerbaijan",
        text=text,
        start=len(prefix),
        end=len(prefix) + len(text),
        language="ur",
        kind="reported",
        said_on="2026-11-20",
    )
    claim = Claim.objects.create(text="Azerbaijan allowed its territory to be used")
    link = ClaimLink.objects.create(
        statement=statement,
        claim=claim,
        stance=Stance.DENIES,
        origin="seed",
        confirmed_at="2026-11-21T08:30:00Z",
    )
    expected = (
        BOM + b"statement_id,said_on,speaker,speaker_role,source,article_url,language,kind,text,"
        b"claim_id,claim,stance,link_status,link_origin,confirmed_at\n"
        + (
            f'{statement.pk},2026-11-20,Shahin Mustafayev,"Deputy Prime Minister, Azerbaijan",'
            f"Mehr News Agency,https://mehrnews.com/news/1,ur,reported,"
            f'"انہوں نے کہا، ""یہ\nجھوٹ ہے""",{claim.pk},'
            f"Azerbaijan allowed its territory to be used,denies,confirmed,seed,"
            f"2026-11-21T08:30:00Z\n"
        ).encode()
    )
    assert link.pk
    assert export_bytes() == expected


def test_an_unlinked_statement_has_one_row_with_empty_claim_columns() -> None:
    statement = StatementFactory(speaker_role="")
    data = export_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0] == STATEMENT_COLUMNS
    assert rows[1][0] == str(statement.pk)
    assert rows[1][3] == ""  # an empty role is an empty field, not ""
    assert rows[1][9:] == ["", "", "", "", "", ""]
    assert data.splitlines()[1].endswith(",,,,,,")


def test_a_statement_with_two_links_has_two_rows() -> None:
    statement = StatementFactory()
    for claim, stance in [(ClaimFactory(), Stance.ASSERTS), (ClaimFactory(), Stance.DENIES)]:
        ClaimLink.objects.create(statement=statement, claim=claim, stance=stance)
    rows = list(csv.reader(io.StringIO(export_bytes().decode("utf-8-sig"))))[1:]
    assert [row[11] for row in rows] == ["asserts", "denies"]


def test_a_claim_export_lists_only_that_claims_links() -> None:
    statement = StatementFactory()
    wanted, other = ClaimFactory(), ClaimFactory()
    ClaimLink.objects.create(statement=statement, claim=wanted, stance=Stance.ASSERTS)
    ClaimLink.objects.create(statement=statement, claim=other, stance=Stance.DENIES)
    rows = list(csv.reader(io.StringIO(export_bytes(claim=wanted.pk).decode("utf-8-sig"))))[1:]
    assert [row[9] for row in rows] == [str(wanted.pk)]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_made_text(start) -> None:
    StatementFactory(text=f"{start}HYPERLINK(1)", speaker__name=f"{start}cmd")
    rows = list(csv.reader(io.StringIO(export_bytes().decode("utf-8-sig"))))
    assert rows[1][8] == f"'{start}HYPERLINK(1)"
    assert rows[1][2] == f"'{start}cmd"


def test_a_user_without_link_permissions_gets_statements_without_claims() -> None:
    statement = StatementFactory()
    ClaimLink.objects.create(statement=statement, claim=ClaimFactory(), stance=Stance.ASSERTS)
    user = user_with("view_statement")
    rows = list(csv.reader(io.StringIO(export_bytes(user=user).decode("utf-8-sig"))))
    assert rows[0] == STATEMENT_COLUMNS[:9]  # no claim columns at all
    assert len(rows) == 2 and len(rows[1]) == 9


def test_a_user_who_may_not_view_statements_cannot_export_them() -> None:
    with pytest.raises(ExportError, match="may not view statements"):
        export_bytes(user=user_with("view_claim"))


def test_the_response_streams_from_a_generator_and_records_the_run(client) -> None:
    StatementFactory(text="peace now")
    user = user_with("view_statement", "view_claim", "view_claimlink")
    client.force_login(user)
    response = client.post(f"{reverse('claims:export_statements')}?q=peace")
    assert response.streaming
    assert isinstance(response.streaming_content, types.GeneratorType | map)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(BOM + b"statement_id,")
    assert body.count(b"\n") == 2
    run = ExportRun.objects.get()
    assert (run.kind, run.status, run.rows, run.user) == ("statements", "finished", 1, user)
    assert run.filters == {"q": ["peace"]}


def test_the_export_is_a_generator_that_reads_nothing_before_the_first_chunk(
    django_assert_num_queries,
) -> None:
    StatementFactory()
    rows = statements_rows(statements=statement_list(filters={}))
    with django_assert_num_queries(0):
        stream = csv_stream(kind="statements", rows=rows)
    assert isinstance(stream, types.GeneratorType)
    assert next(stream).startswith(BOM)


def test_a_download_abandoned_midway_is_recorded_as_failed() -> None:
    for _ in range(3):
        StatementFactory()
    stream = csv_stream(
        kind="statements",
        rows=statements_rows(statements=statement_list(filters={})),
    )
    next(stream)
    stream.close()
    run = ExportRun.objects.get()
    assert run.status == "failed" and "stopped reading" in run.error
    assert Statement.objects.count() == 3  # the connection is still usable


def test_the_claims_report_exports_counts_per_stance(admin_client, seeded) -> None:
    rows = csv_rows(admin_client.post(f"{reverse('claims:export_claims')}?q=territory"))
    assert rows[0][:9] == [
        "claim_id",
        "external_id",
        "text",
        "language",
        "status",
        "first_seen",
        "statements",
        "asserts",
        "denies",
    ]
    assert rows[1][1] == "seed-azerbaijan-territory-attack-iran"
    assert rows[1][6:9] == ["2", "0", "2"]


def test_the_suggestions_export_has_its_documented_columns(admin_client) -> None:
    suggestion = SuggestionFactory(score=0.75)
    rows = csv_rows(admin_client.post(f"{reverse('claims:export_suggestions')}?status=pending"))
    assert rows[0][:12] == [
        "suggestion_id",
        "created_at",
        "statement_id",
        "article_url",
        "speaker",
        "language",
        "text",
        "claim_id",
        "claim",
        "score",
        "suggested_stance",
        "status",
    ]
    assert rows[1][0] == str(suggestion.pk)
    assert rows[1][9:12] == ["0.75", "mentions", "pending"]


def test_exporting_suggestions_needs_permission_to_view_them(client) -> None:
    client.force_login(user_with("view_statement"))
    assert client.post(reverse("claims:export_suggestions")).status_code == 403


def test_the_export_command_writes_the_same_file_as_the_button(
    tmp_path, seeded, admin_client
) -> None:
    from django.core.management import call_command

    target = tmp_path / "out.csv"
    call_command("export", "statements", "q=آذربایجان", "stance=denies", "-o", str(target))
    data = target.read_bytes()
    button = admin_client.post(
        f"{reverse('claims:export_statements')}?{urlencode({'q': 'آذربایجان', 'stance': 'denies'})}"
    )
    assert data == b"".join(button.streaming_content)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][11] == "denies"


def test_the_export_command_names_an_unknown_filter() -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="unknown filter 'colour'"):
        call_command("export", "claims", "colour=red", "-o", "/dev/null")


def test_a_relevance_order_still_exports_every_match(monkeypatch) -> None:
    monkeypatch.setattr("claims.filters.RELEVANCE_WINDOW", 1)
    StatementFactory(text="peace now")
    StatementFactory(text="peace talks")
    rows = list(csv.reader(io.StringIO(export_bytes(q="peace", order="relevance").decode())))
    assert len(rows) == 3


def test_claims_are_exported_by_their_filters_not_from_a_selection() -> None:
    with pytest.raises(ExportError, match="claims are exported by their filters"):
        export_csv(kind="claims", user=None, selected=Claim.objects.all())
