"""FilterSets for the search page, the claims report, the exports and the admin.

Every filter is a URL parameter, so a search can be bookmarked, shared and exported as is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchRank
from django.db.models import (
    BigIntegerField,
    Exists,
    F,
    Func,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from claims.models import Claim, ClaimLink, Speaker, Stance, Statement, Suggestion
from claims.names import NameChoice, claim_labels, speaker_labels
from sources.models import Source
from sources.search import TsQuery, documents_matching, search_query

# The languages Claimledger follows; the filter offers these rather than scanning a million
# statements for their distinct languages.
LANGUAGE_CHOICES = [
    ("ur", "Urdu"),
    ("fa", "Persian"),
    ("ar", "Arabic"),
    ("en", "English"),
    ("az", "Azerbaijani"),
    ("ru", "Russian"),
]


# "Best match" ranks this many of the newest matches (see StatementFilter.filter_queryset).
RELEVANCE_WINDOW = 1000


class FastSelect(forms.Select):
    """A <select> built in Python: the default renders a template per option (~0.1 ms each),
    and the outlet list has hundreds; every select of the search form, on every search."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) in selected else ""}>'
            f"{escape(label)}</option>"
            for key, label in self.choices
        )
        # Safe: the name, the attributes and every option were escaped above.
        return mark_safe(f'<select name="{escape(name)}"{flatatt(attrs)}>{options}</select>')


class NameInput(forms.Widget):
    """A record chosen by name: a text box that offers matching names as one types, and a
    hidden input that carries the chosen record's id, so the URL keeps `speaker=12`.

    static/claims/names.js fills the box's <datalist> from the JSON view `url_name` and sets
    the id; without scripts the hidden input still sends the id the page was opened with.
    """

    def __init__(
        self,
        *,
        url_name: str,
        model: type[Model],
        labels: Callable[[QuerySet], list[NameChoice]],
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.url_name = url_name
        self.model = model
        self.labels = labels  # the same labels the JSON view offers, so the box shows one

    def id_for_label(self, id_: str) -> str:
        # The <label> names the box one types in, not the hidden id.
        return f"{id_}_name" if id_ else id_

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        id_ = attrs.get("id") or f"id_{name}"
        chosen = "" if value in (None, "") else str(value)
        # A value that is no id (a typo in the URL) is shown as it is, beside its error.
        found = self.labels(self.model.objects.filter(pk=int(chosen))) if chosen.isdigit() else []
        text = found[0]["label"] if found else chosen
        return format_html(
            '<input type="hidden" name="{name}" id="{id}" value="{chosen}">'
            '<input type="text" id="{box}" value="{text}" list="{box}_options" dir="auto" '
            'autocomplete="off" data-names="{url}" data-id-input="{id}">'
            '<datalist id="{box}_options"></datalist>',
            name=name,
            id=id_,
            chosen=chosen,
            box=self.id_for_label(id_),
            text=text,
            url=reverse(self.url_name),
        )


# The filters whose records are chosen by name, with the permission to look names up:
# without it a user gets the plain id box.
NAMED_FILTERS = {"speaker": "claims.view_speaker", "claim": "claims.view_claim"}


class StatementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label="Search",
        widget=forms.TextInput(attrs={"dir": "auto", "type": "search"}),
        help_text='All words must appear; "quoted words" as a phrase; -word excludes.',
    )
    speaker = django_filters.NumberFilter(
        field_name="speaker_id",
        label="Speaker",
        widget=NameInput(url_name="claims:speaker_names", model=Speaker, labels=speaker_labels),
    )
    claim = django_filters.NumberFilter(
        method="filter_link",
        label="Claim",
        widget=NameInput(url_name="claims:claim_names", model=Claim, labels=claim_labels),
    )
    stance = django_filters.ChoiceFilter(
        choices=Stance.choices, method="filter_link", label="Stance", widget=FastSelect
    )
    outlet = django_filters.TypedChoiceFilter(
        field_name="article__source_id",
        choices=[],  # filled per request in __init__
        coerce=int,
        label="Outlet",
        widget=FastSelect,
    )
    country = django_filters.CharFilter(
        field_name="article__source__country",
        label="Outlet country",
        widget=forms.TextInput(attrs={"size": 3, "placeholder": "IR"}),
        method="filter_country",
    )
    language = django_filters.ChoiceFilter(choices=LANGUAGE_CHOICES, widget=FastSelect)
    kind = django_filters.ChoiceFilter(choices=Statement.Kind.choices, widget=FastSelect)
    said_on = django_filters.DateFromToRangeFilter(
        label="Said between",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    order = django_filters.ChoiceFilter(
        choices=[
            ("newest", "Newest first"),
            ("oldest", "Oldest first"),
            ("relevance", "Relevance"),
        ],
        method="filter_nothing",
        empty_label=None,
        label="Order",
        widget=FastSelect,
    )

    class Meta:
        model = Statement
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # One query for the outlets, shared by validation and the <select> (a callable
        # would run once for each).
        self.filters["outlet"].extra["choices"] = [
            ("", "---------"),
            *((str(pk), name) for pk, name in Source.objects.values_list("id", "name")),
        ]
        user = getattr(self.request, "user", None)
        for name, permission in NAMED_FILTERS.items():
            if user is not None and not user.has_perm(permission):
                self.filters[name].extra["widget"] = forms.NumberInput
                self.filters[name].label = f"{self.filters[name].label} id"

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return documents_matching(queryset, value)

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(article__source__country=value.strip().upper())

    def filter_link(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        # Claim and stance must hold for the same link; filter_queryset applies both at once.
        return queryset

    def filter_nothing(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        link = link_condition(claim=data.get("claim"), stance=data.get("stance"))
        if link is not None:
            # EXISTS rather than a join: a statement with two matching links is listed once.
            queryset = queryset.filter(
                Exists(ClaimLink.objects.filter(link, statement=OuterRef("pk")))
            )
        parsed = search_query(data.get("q") or "")
        order = data.get("order") or "newest"
        if order == "relevance" and parsed:
            return self.best_matches(queryset, parsed.tsquery)
        if order == "oldest":
            return queryset.order_by(F("said_on").asc(nulls_last=True), "id")
        return _newest_first(queryset)

    def best_matches(self, queryset: QuerySet, tsquery: str) -> QuerySet:
        """The newest RELEVANCE_WINDOW matches, best ranked first (ties: newest first).

        Ranking every match of a common word means reading all of them (tens of thousands
        at a million statements). The window is ranked here, in one indexed query, and
        handed on as a list of ids, so the planner is never asked to guess the size of a
        ranked subquery (it guessed 19 rows for 2,000 and chose a nested loop).
        """
        window = (
            _newest_first(queryset)
            .annotate(rank=SearchRank(F("search_document"), TsQuery(tsquery)))
            .values_list("pk", "rank")[:RELEVANCE_WINDOW]
        )
        ids = [pk for pk, _ in sorted(window, key=lambda row: -row[1])]
        position = Func(
            Value(ids, output_field=ArrayField(BigIntegerField())),
            F("pk"),
            function="array_position",
            output_field=IntegerField(),
        )
        return queryset.filter(pk__in=ids).order_by(position)


def _newest_first(statements: QuerySet[Statement]) -> QuerySet[Statement]:
    """`statements` by the day they were said, newest first, undated last: the order that
    statement_said_desc_idx serves."""
    return statements.order_by(F("said_on").desc(nulls_last=True), "-id")


def link_condition(*, claim: Any = None, stance: str | None = None) -> Q | None:
    """The condition on ClaimLink that claim/stance filters mean, or None without them."""
    condition = Q()
    if claim not in (None, ""):
        condition &= Q(claim_id=int(claim))
    if stance:
        condition &= Q(stance=stance)
    return condition if condition else None


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_text", label="Text", widget=forms.TextInput(attrs={"dir": "auto"})
    )
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices)
    language = django_filters.ChoiceFilter(choices=LANGUAGE_CHOICES)
    first_seen_at = django_filters.DateFromToRangeFilter(
        label="First seen between",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(text__icontains=value) | Q(gloss_en__icontains=value) | Q(external_id=value)
        )


class SuggestionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Suggestion.Status.choices)
    suggested_stance = django_filters.ChoiceFilter(choices=Stance.choices)
    claim = django_filters.NumberFilter(field_name="claim_id")
    method = django_filters.CharFilter()
    created_at = django_filters.DateFromToRangeFilter(
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"})
    )

    class Meta:
        model = Suggestion
        fields: list[str] = []
