"""The search, speaker, claim and claims pages: login, permissions, pagination, query counts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from claims.models import Claim, ClaimLink, Speaker, Stance
from tests.claims.test_selectors import links_around_an_undated_statement
from tests.factories import ClaimFactory, SpeakerFactory, StatementFactory

pytestmark = pytest.mark.django_db


def viewer(*codenames: str) -> User:
    user = User.objects.create_user("editor", password="pw")
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def editor_client(client):
    client.force_login(
        viewer("view_statement", "view_speaker", "view_claim", "view_claimlink", "view_suggestion")
    )
    return client


def test_the_search_page_sends_anonymous_visitors_to_log_in(client) -> None:
    response = client.get(reverse("claims:search"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_user_without_view_permission_is_refused(client) -> None:
    client.force_login(viewer())
    assert client.get(reverse("claims:search")).status_code == 403
    assert client.post(reverse("claims:export_statements")).status_code == 403


def test_a_search_highlights_the_word_in_the_spelling_the_article_used(editor_client, seeded):
    page = editor_client.get(reverse("claims:search"), {"q": "آذربایجان"}).content.decode()
    assert "<mark>آذربائیجان</mark>" in page
    assert 'dir="auto" lang="ur"' in page
    assert "Denies" in page  # the links of each statement, with their stance


def test_the_filters_stay_in_the_export_link(editor_client, seeded) -> None:
    page = editor_client.get(reverse("claims:search"), {"q": "افواہیں", "kind": "reported"})
    html = page.content.decode()
    assert "/export/statements.csv?q=%D8%A7" in html
    assert "kind=reported" in html


def test_pages_of_results_follow_each_other(editor_client) -> None:
    speaker = SpeakerFactory()
    for day in range(1, 31):
        StatementFactory(speaker=speaker, said_on=datetime.date(2026, 1, day))
    first = editor_client.get(reverse("claims:search"), {"speaker": speaker.pk})
    second = editor_client.get(reverse("claims:search"), {"speaker": speaker.pk, "page": 2})
    assert [s.said_on.day for s in first.context["statements"]] == list(range(30, 5, -1))
    assert [s.said_on.day for s in second.context["statements"]] == [5, 4, 3, 2, 1]
    assert first.context["next_page"] == 2 and second.context["next_page"] is None
    assert "30 statements, showing 26–30" in second.content.decode()


def test_the_search_page_runs_the_same_number_of_queries_for_more_results(
    editor_client, django_assert_num_queries
) -> None:
    claim = ClaimFactory()
    for _ in range(30):
        ClaimLink.objects.create(statement=StatementFactory(), claim=claim, stance=Stance.ASSERTS)
    # session, user, two permission lookups, outlets, page, links, capped count, unread alerts
    with django_assert_num_queries(9):
        editor_client.get(reverse("claims:search"))
    for _ in range(30):
        ClaimLink.objects.create(statement=StatementFactory(), claim=claim, stance=Stance.DENIES)
    with django_assert_num_queries(9):
        editor_client.get(reverse("claims:search"), {"page": 2})


def test_a_result_that_fits_one_page_is_not_counted_again(
    editor_client, django_assert_num_queries
) -> None:
    StatementFactory()
    with django_assert_num_queries(8):  # the page's, and the unread alerts badge
        response = editor_client.get(reverse("claims:search"))
    assert response.context["total"] == 1


def test_a_bad_date_is_shown_beside_its_field(editor_client) -> None:
    response = editor_client.get(reverse("claims:search"), {"said_on_after": "soon"})
    assert response.status_code == 400
    assert "Enter a valid date" in response.content.decode()


def test_the_speaker_page_groups_statements_by_claim_and_flags_a_reversal(editor_client) -> None:
    speaker = SpeakerFactory(name="Shahin Mustafayev")
    claim = ClaimFactory(text="Azerbaijan allowed its territory to be used")
    for stance, day in [(Stance.ASSERTS, 1), (Stance.DENIES, 2)]:
        statement = StatementFactory(speaker=speaker, said_on=datetime.date(2026, 1, day))
        ClaimLink.objects.create(statement=statement, claim=claim, stance=stance)
    page = editor_client.get(reverse("claims:speaker", args=[speaker.pk])).content.decode()
    assert "Reversal: asserted and denied" in page
    assert page.index("Asserts") < page.index("Denies")
    assert f"/export/statements.csv?speaker={speaker.pk}" in page


def test_the_claim_page_shows_variants_status_and_timeline(editor_client, seeded) -> None:
    claim = Claim.objects.get(external_id="seed-azerbaijan-territory-attack-iran")
    page = editor_client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "جمهوری آذربایجان اجازه داد" in page  # the Persian variant
    assert claim.get_status_display() in page
    assert page.count('class="stance stance-denies"') == 2
    assert "Shahin Mustafayev" in page
    assert f"/export/statements.csv?claim={claim.pk}" in page


def test_an_unknown_claim_is_not_found(editor_client) -> None:
    assert editor_client.get(reverse("claims:claim", args=[999999])).status_code == 404


def test_the_claims_report_counts_stances(editor_client, seeded) -> None:
    response = editor_client.get(reverse("claims:claims"), {"status": "", "q": "territory"})
    claims = response.context["claims"]
    assert len(claims) == 1
    assert (claims[0].statement_count, claims[0].denies_count) == (2, 2)
    assert "/export/claims.csv?status=&amp;q=territory" in response.content.decode()


def test_the_claims_report_shows_all_four_stances(editor_client) -> None:
    claim = ClaimFactory()
    for stance, times in [
        (Stance.ASSERTS, 1),
        (Stance.DENIES, 2),
        (Stance.QUESTIONS, 3),
        (Stance.MENTIONS, 4),
    ]:
        for _ in range(times):
            ClaimLink.objects.create(statement=StatementFactory(), claim=claim, stance=stance)
    page = editor_client.get(reverse("claims:claims")).content.decode()
    headers = (
        "<th>Statements</th><th>Asserts</th><th>Denies</th><th>Questions</th><th>Mentions</th>"
    )
    assert headers in page
    assert "<td>10</td><td>1</td><td>2</td>\n    <td>3</td><td>4</td></tr>" in page


def test_the_speaker_page_needs_link_permissions(client) -> None:
    client.force_login(viewer("view_statement", "view_speaker"))
    speaker = Speaker.objects.create(name="Nobody")
    assert client.get(reverse("claims:speaker", args=[speaker.pk])).status_code == 403


def test_the_search_form_offers_any_outlet_and_names_every_filter(editor_client, seeded) -> None:
    page = editor_client.get(reverse("claims:search")).content.decode()
    assert '<select name="outlet" id="id_outlet"><option value="">---------</option>' in page
    assert '<option value="' in page and "Mehr News Agency</option>" in page
    assert "[invalid name]" not in page
    assert ">Stance</label>" in page


def test_the_claim_page_counts_every_link_even_past_its_timeline_limit(
    editor_client, monkeypatch
) -> None:
    monkeypatch.setattr("claims.selectors.CLAIM_TIMELINE_LIMIT", 2)
    claim = ClaimFactory()
    for stance in [Stance.ASSERTS, Stance.ASSERTS, Stance.DENIES]:
        ClaimLink.objects.create(statement=StatementFactory(), claim=claim, stance=stance)
    response = editor_client.get(reverse("claims:claim", args=[claim.pk]))
    assert len(response.context["timeline"]) == 2
    assert ("Asserts", 2) in response.context["stance_counts"]
    assert ("Denies", 1) in response.context["stance_counts"]
    assert "The first 2 of 3 statements" in response.content.decode()


@pytest.mark.parametrize("role", ["Analyst", "Editor", "Viewer"])
def test_every_role_can_search_and_export(client, member, seeded, role) -> None:
    member(role)
    page = client.get(reverse("claims:search"), {"q": "آذربایجان"})
    assert page.status_code == 200 and "<mark>" in page.content.decode()
    export = client.post(f"{reverse('claims:export_statements')}?{urlencode({'q': 'آذربایجان'})}")
    assert b"".join(export.streaming_content).startswith(b"\xef\xbb\xbfstatement_id,")


def test_the_name_lists_refuse_anonymous_visitors_and_users_who_may_not_view(client) -> None:
    for url in [reverse("claims:speaker_names"), reverse("claims:claim_names")]:
        response = client.get(url, {"q": "Shahin"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(viewer("view_statement"))
    assert client.get(reverse("claims:speaker_names"), {"q": "Shahin"}).status_code == 403
    assert client.get(reverse("claims:claim_names"), {"q": "territory"}).status_code == 403


def test_a_speaker_is_found_by_the_arabic_spelling_of_his_urdu_alias(editor_client, seeded):
    # The seed's Urdu alias is شاہین مصطفیاف: heh goal and Persian yeh, here Arabic heh and yeh.
    response = editor_client.get(reverse("claims:speaker_names"), {"q": "شاهين مصطفياف"})
    speaker = Speaker.objects.get(name="Shahin Mustafayev")
    label = f"Shahin Mustafayev · Deputy Prime Minister of Azerbaijan · #{speaker.pk}"
    assert response.json() == {"results": [{"id": speaker.pk, "label": label}]}


def test_a_claim_is_found_by_the_persian_spelling_of_its_urdu_variant(editor_client, seeded):
    claim = Claim.objects.get(external_id="seed-azerbaijan-territory-attack-iran")
    response = editor_client.get(reverse("claims:claim_names"), {"q": "آذربایجان نے ایران پر حملے"})
    label = f"Azerbaijan allowed its territory to be used for the attack on Iran · #{claim.pk}"
    assert response.json() == {"results": [{"id": claim.pk, "label": label}]}


def test_two_speakers_of_one_name_are_offered_under_two_labels(editor_client) -> None:
    first = SpeakerFactory(name="Shahin Mustafayev", role="Deputy Prime Minister")
    second = SpeakerFactory(name="Shahin Mustafayev", is_confirmed=False)
    results = editor_client.get(reverse("claims:speaker_names"), {"q": "shahin"}).json()
    assert results == {
        "results": [
            {"id": first.pk, "label": f"Shahin Mustafayev · Deputy Prime Minister · #{first.pk}"},
            {"id": second.pk, "label": f"Shahin Mustafayev · #{second.pk}"},
        ]
    }


def test_a_name_list_offers_at_most_twenty_names(editor_client) -> None:
    for number in range(25):
        SpeakerFactory(name=f"Aliyev {number}")
    results = editor_client.get(reverse("claims:speaker_names"), {"q": "aliyev"}).json()
    assert len(results["results"]) == 20


def test_the_search_form_shows_the_chosen_speaker_and_claim_by_name(editor_client) -> None:
    speaker = SpeakerFactory(name="Shahin Mustafayev")
    claim = ClaimFactory(text="Azerbaijan allowed its territory to be used")
    page = editor_client.get(
        reverse("claims:search"), {"speaker": speaker.pk, "claim": claim.pk}
    ).content.decode()
    assert f'<input type="hidden" name="speaker" id="id_speaker" value="{speaker.pk}">' in page
    assert f'id="id_speaker_name" value="Shahin Mustafayev · #{speaker.pk}"' in page
    assert f'<input type="hidden" name="claim" id="id_claim" value="{claim.pk}">' in page
    assert (
        f'id="id_claim_name" value="Azerbaijan allowed its territory to be used · #{claim.pk}"'
        in page
    )
    assert '<label for="id_speaker_name">Speaker</label>' in page
    assert f'data-names="{reverse("claims:speaker_names")}"' in page
    assert "/static/claims/names.js" in page


def test_a_user_who_may_not_view_claims_gets_no_claim_filter(client) -> None:
    # Issue 10: filtering by a claim would show its links to a user who may not view them.
    client.force_login(viewer("view_statement", "view_speaker", "view_claimlink"))
    claim = ClaimFactory(text="Azerbaijan allowed its territory to be used")
    page = client.get(reverse("claims:search"), {"claim": claim.pk}).content.decode()
    assert 'name="claim"' not in page and "Claim</label>" not in page and "Claim id" not in page
    assert "Azerbaijan allowed" not in page
    assert 'id="id_speaker_name"' in page


def test_the_claim_page_dates_an_undated_statement_by_its_article(editor_client) -> None:
    claim, in_time_order = links_around_an_undated_statement()
    response = editor_client.get(reverse("claims:claim", args=[claim.pk]))
    assert response.context["timeline"] == in_time_order
    # The reader sees that date, marked as not the statement's own, rather than a "?".
    assert "Not the statement" in response.content.decode()
    assert ">June 2, 2025*</span>" in response.content.decode()


@pytest.mark.parametrize(
    "page", ["abc", "-1", "0", "1.5", "٣", "99999999999999999999999", "9" * 5000]
)
@pytest.mark.parametrize("name", ["claims:search", "claims:claims"])
def test_a_page_that_cannot_exist_is_not_found_and_says_why(editor_client, name, page) -> None:
    response = editor_client.get(reverse(name), {"page": page})
    assert response.status_code == 404
    assert "pages" in response.content.decode()


def test_the_search_pages_stop_at_the_last_page_served(editor_client) -> None:
    response = editor_client.get(reverse("claims:search"), {"page": 41})
    assert response.status_code == 404
    assert "pages stop at 40" in response.content.decode()
    assert editor_client.get(reverse("claims:search"), {"page": 40}).status_code == 200


def test_a_20000_word_search_searches_the_first_words_and_says_so(editor_client) -> None:
    StatementFactory(text="w0 w1 w2 and so on")
    response = editor_client.get(
        reverse("claims:search"), {"q": " ".join(f"w{n}" for n in range(20_000))}
    )
    assert response.status_code == 200
    assert "Only the first 50 words" in response.content.decode()


def test_a_short_search_says_nothing_of_a_cap(editor_client) -> None:
    response = editor_client.get(reverse("claims:search"), {"q": "w0 w1"})
    assert "Only the first" not in response.content.decode()


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_a_login_with_a_foreign_next_lands_on_the_admin_index(client, next_url) -> None:
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    response = client.post(
        f"{reverse('admin:login')}?next={next_url}",
        {"username": user.username, "password": "pw", "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


def test_a_login_with_a_local_next_lands_there(client) -> None:
    User.objects.create_user("editor", password="pw", is_staff=True)
    search = reverse("claims:search")
    response = client.post(
        reverse("admin:login"), {"username": "editor", "password": "pw", "next": search}
    )
    assert response["Location"] == search


@pytest.mark.parametrize(
    "name", ["claims:export_statements", "claims:export_claims", "claims:export_suggestions"]
)
def test_an_export_does_not_start_on_a_get(editor_client, name) -> None:
    # A link or an image on another site sends a GET: it must not start an export.
    assert editor_client.get(reverse(name)).status_code == 405


def test_an_export_without_the_csrf_token_is_refused(seeded) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_superuser("admin", password="pw"))
    assert client.post(reverse("claims:export_statements")).status_code == 403


def test_the_export_button_posts_the_csrf_token(editor_client, seeded) -> None:
    html = editor_client.get(reverse("claims:search"), {"q": "x"}).content.decode()
    form = re.search(r'<form class="export" method="post" action="[^"]*">(.*?)</form>', html)
    assert form is not None and 'name="csrfmiddlewaretoken"' in form.group(1)


def test_the_export_button_starts_an_export_with_its_csrf_token(seeded) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_superuser("admin", password="pw"))
    html = client.get(reverse("claims:search"), {"q": "آذربایجان"}).content.decode()
    action, token = re.search(
        r'<form class="export" method="post" action="([^"]*)">'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]*)"',
        html,
    ).groups()
    response = client.post(action.replace("&amp;", "&"), {"csrfmiddlewaretoken": token})
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbfstatement_id,")


def test_a_user_who_may_view_only_statements_sees_no_links_and_no_link_filters(
    client, seeded
) -> None:
    client.force_login(viewer("view_statement"))
    link = ClaimLink.objects.select_related("claim").first()
    page = client.get(reverse("claims:search"), {"q": "آذربایجان"})
    html = page.content.decode()
    assert page.status_code == 200 and "<mark>" in html
    assert "claim" not in page.context["filter"].form.fields
    assert "stance" not in page.context["filter"].form.fields
    assert 'class="stance' not in html and link.claim.text[:40] not in html
    assert f"/claims/{link.claim_id}/" not in html


def test_a_user_who_may_view_only_statements_cannot_filter_by_a_claim(client, seeded) -> None:
    link = ClaimLink.objects.first()
    client.force_login(viewer("view_statement"))
    everything = client.get(reverse("claims:search")).context["total"]
    filtered = client.get(reverse("claims:search"), {"claim": link.claim_id, "stance": "denies"})
    assert filtered.context["total"] == everything
    url = f"{reverse('claims:export_statements')}?claim={link.claim_id}&stance=denies"
    rows = b"".join(client.post(url).streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) - 1 == everything


def test_a_user_who_may_view_links_still_filters_by_claim(editor_client, seeded) -> None:
    link = ClaimLink.objects.first()
    everything = editor_client.get(reverse("claims:search")).context["total"]
    filtered = editor_client.get(reverse("claims:search"), {"claim": link.claim_id})
    assert 0 < filtered.context["total"] < everything
