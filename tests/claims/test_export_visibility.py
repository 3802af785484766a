"""Every CSV, whichever route made it, carries claim and stance columns only for users who may
view them; filters by claim or stance are ignored by the pages and refused by the exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.models import ClaimLink, Stance
from tests.factories import ClaimFactory, StatementFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

STATEMENT_CLAIM_COLUMNS = ["claim_id", "claim", "stance", "link_status", "link_origin"]
CLAIM_COUNT_COLUMNS = ["statements", "asserts", "denies", "questions", "mentions"]
SUGGESTION_CLAIM_COLUMNS = ["claim_id", "claim", "suggested_stance"]

# kind: (the permissions of the kind alone, the further permissions of its claim columns,
#        the claim columns)
KINDS = {
    "statements": (
        ["view_statement", "view_claim"],
        ["view_claimlink"],
        STATEMENT_CLAIM_COLUMNS,
    ),
    "claims": (["view_claim"], ["view_claimlink"], CLAIM_COUNT_COLUMNS),
    "suggestions": (
        ["view_suggestion", "view_statement"],
        ["view_claim"],
        SUGGESTION_CLAIM_COLUMNS,
    ),
}


def user_with(*codenames: str, staff: bool = False) -> User:
    user = User.objects.create_user(f"u{User.objects.count()}", password="pw", is_staff=staff)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)


def parse(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def linked():
    """A statement linked to a claim (denies), with a pending suggestion of another claim."""
    statement = StatementFactory(text="Baku never allowed any attack")
    claim = ClaimFactory(text="Azerbaijan allowed the attack")
    ClaimLink.objects.create(statement=statement, claim=claim, stance=Stance.DENIES)
    suggestion = SuggestionFactory(statement=statement, claim=ClaimFactory(text="A secret base"))
    return statement, claim, suggestion


def button(client, user: User, kind: str, query: str = "") -> list[list[str]]:
    client.force_login(user)
    response = client.post(f"{reverse(f'claims:export_{kind}')}?{query}")
    assert response.status_code == 200
    return parse(b"".join(response.streaming_content))


def command(tmp_path, user: User, kind: str, *filters: str) -> list[list[str]]:
    target = tmp_path / f"{kind}.csv"
    call_command("export", kind, *filters, "--as-user", user.username, "-o", str(target))
    return parse(target.read_bytes())


def admin_action(client, user: User, kind: str, pks: list[int], query: str = ""):
    client.force_login(user)
    model = kind[:-1]
    return client.post(
        f"{reverse(f'admin:claims_{model}_changelist')}?{query}",
        {"action": f"export_{kind}_csv", "_selected_action": pks},
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_user_who_may_not_view_claims_gets_no_claim_columns_from_the_button(
    client, linked, kind
) -> None:
    alone, _more, claim_columns = KINDS[kind]
    rows = button(client, user_with(*alone), kind)
    assert not set(claim_columns) & set(rows[0])
    assert all(len(row) == len(rows[0]) for row in rows)
    if kind != "claims":  # the claims file has the claims' texts, not their links
        assert "Azerbaijan allowed the attack" not in str(rows)
        assert "A secret base" not in str(rows)
    assert "denies" not in str(rows[1:])


@pytest.mark.parametrize("kind", KINDS)
def test_a_user_who_may_view_claims_gets_the_claim_columns(client, linked, kind) -> None:
    alone, more, claim_columns = KINDS[kind]
    rows = button(client, user_with(*alone, *more), kind)
    assert set(claim_columns) <= set(rows[0])


@pytest.mark.parametrize("kind", KINDS)
def test_the_export_command_as_a_user_leaves_out_the_same_columns(
    client, linked, kind, tmp_path, capsys
) -> None:
    alone, _more, claim_columns = KINDS[kind]
    user = user_with(*alone)
    rows = command(tmp_path, user, kind)
    assert rows == button(client, user, kind)
    assert not set(claim_columns) & set(rows[0])
    assert f"{user.username} may not view claims or claim links" in capsys.readouterr().err


def test_the_suggestions_file_of_a_statement_viewer_names_no_claim(client, linked) -> None:
    statement, _claim, suggestion = linked
    rows = button(client, user_with("view_suggestion", "view_statement"), "suggestions")
    assert rows[0] == [
        "suggestion_id",
        "created_at",
        "statement_id",
        "article_url",
        "speaker",
        "language",
        "text",
        "score",
        "status",
        "method",
        "reviewed_at",
    ]
    assert rows[1][0] == str(suggestion.pk) and rows[1][6] == statement.text


def test_the_button_ignores_a_claim_filter_the_user_may_not_use(client, linked) -> None:
    _statement, _claim, suggestion = linked
    other = SuggestionFactory()
    user = user_with("view_suggestion", "view_statement")
    rows = button(client, user, "suggestions", f"claim={other.claim_id}")
    assert {row[0] for row in rows[1:]} == {str(suggestion.pk), str(other.pk)}


def test_the_export_command_refuses_a_claim_filter_the_user_may_not_use(linked) -> None:
    _statement, claim, _suggestion = linked
    user = user_with("view_statement")
    with pytest.raises(CommandError, match="may not filter statements by claim"):
        call_command(
            "export", "statements", f"claim={claim.pk}", "--as-user", user.username, "-o", "-"
        )
    with pytest.raises(CommandError, match="may not filter suggestions by suggested_stance"):
        call_command(
            "export",
            "suggestions",
            "suggested_stance=denies",
            "--as-user",
            user_with("view_suggestion", "view_statement").username,
            "-o",
            "-",
        )


@pytest.mark.parametrize("kind", ["statements", "suggestions"])
def test_the_admin_export_action_leaves_out_the_same_columns(client, linked, kind) -> None:
    alone, _more, claim_columns = KINDS[kind]
    user = user_with(*alone, staff=True)
    statement, _claim, suggestion = linked
    response = admin_action(
        client, user, kind, [statement.pk if kind == "statements" else suggestion.pk]
    )
    rows = parse(b"".join(response.streaming_content))
    assert rows[0] == button(client, user, kind)[0]
    assert not set(claim_columns) & set(rows[0])


def test_the_admin_export_action_refuses_a_claim_filter_the_user_may_not_use(
    client, linked
) -> None:
    _statement, _claim, suggestion = linked
    user = user_with("view_suggestion", "view_statement", staff=True)
    response = admin_action(
        client, user, "suggestions", [suggestion.pk], f"claim__id__exact={suggestion.claim_id}"
    )
    assert not response.streaming
    response = client.get(response["Location"] if response.status_code == 302 else "/admin/")
    shown = [str(message) for message in response.context["messages"]]
    assert any("may not filter suggestions by claim" in message for message in shown)


def test_the_suggestion_list_shows_no_claim_to_a_user_who_may_not_view_claims(
    client, linked
) -> None:
    statement, _claim, _suggestion = linked
    client.force_login(user_with("view_suggestion", "view_statement", staff=True))
    url = reverse("admin:claims_suggestion_changelist")
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and statement.text in html
    assert "A secret base" not in html
    assert "suggested_stance" not in html and "By claim" not in html
    assert statement.text not in client.get(url, {"q": "secret"}).content.decode()


def test_the_suggestion_list_shows_the_claim_to_a_user_who_may_view_claims(client, linked) -> None:
    client.force_login(user_with("view_suggestion", "view_statement", "view_claim", staff=True))
    assert (
        "A secret base"
        in client.get(reverse("admin:claims_suggestion_changelist")).content.decode()
    )


def test_the_claims_report_shows_counts_only_to_users_who_may_view_links(client, linked) -> None:
    client.force_login(user_with("view_claim"))
    html = client.get(reverse("claims:claims")).content.decode()
    assert "Azerbaijan allowed the attack" in html and "<th>Denies</th>" not in html
    client.force_login(user_with("view_claim", "view_claimlink"))
    assert "<th>Denies</th>" in client.get(reverse("claims:claims")).content.decode()


def test_the_claim_admin_shows_counts_and_timeline_only_to_users_who_may_view_links(
    client, linked
) -> None:
    statement, claim, _suggestion = linked
    client.force_login(user_with("view_claim", staff=True))
    listing = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    change = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "column-denies_count" not in listing
    assert "stance-chart" not in change and statement.text not in change
    client.force_login(user_with("view_claim", "view_claimlink", staff=True))
    listing = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert "column-denies_count" in listing
