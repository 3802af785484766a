"""The REST API, version 1: thin views over the claims and sources selectors and services.

Every list pages with a cursor on the primary key (api/pagination.py). What a user sees of
claim links, stances and claims follows claims/visibility.py, as on the pages and exports.
"""

from __future__ import annotations

import copy

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api.pagination import IdCursorPagination
from api.permissions import requires
from claims import visibility
from claims.filters import ClaimFilter, StatementFilter, SuggestionFilter
from claims.models import Claim, ClaimLink, ExportRun, Speaker, Statement, Suggestion
from claims.selectors import (
    InvalidFilters,
    claim_appearances,
    claim_detail,
    claim_list,
    claim_timeline,
    claims_appearances,
    reviewed_claims,
    statement_list,
    suggestion_list,
)
from claims.services.claimreview import APPEARANCES_MAX, claim_review, claim_reviews_feed
from claims.services.claims import ClaimError, claim_save
from claims.services.queueing import articles_extract_queue
from claims.services.review import ReviewError, suggestion_accept, suggestion_reject
from sources.models import IngestionRun, Source
from sources.services.ingestion import ingest_records


class JsonLdRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class FeedPagination(IdCursorPagination):
    """The feed's pages: the body is the DataFeed itself; the next page is in `Link`."""

    page_size = 50

    def get_paginated_response(self, data):
        headers = {}
        if (next_url := self.get_next_link()) is not None:
            headers["Link"] = f'<{next_url}>; rel="next"'
        return Response(data, headers=headers)


class _VisibleFilterBackend(DjangoFilterBackend):
    """Documents a view's FilterSet in the schema; the views apply it themselves, less the
    filters the user may not use (claims/visibility.py)."""

    def filter_queryset(self, request, queryset, view):
        return queryset

    def get_filterset_class(self, view, queryset=None):
        # The schema generator builds each filter's form field on the class it is given,
        # and a built field is kept: on StatementFilter itself that would freeze the
        # outlet choices (filled per request) empty for the search page too.
        base = view.filterset_class
        documented = type(base.__name__, (base,), {})
        documented.base_filters = copy.deepcopy(base.base_filters)
        return documented


def _filterset(filterset_class, request, kind: str, data=None):
    filterset = filterset_class(data if data is not None else request.query_params, request=request)
    for name in visibility.hidden_filters(user=request.user, kind=kind):
        del filterset.filters[name]
    return filterset


def _valid(build) -> QuerySet:
    try:
        return build()
    except InvalidFilters as exc:
        raise ValidationError(exc.errors) from None


def _statements_page(view, request, data=None) -> Response:
    """One cursor page of the search page's results for these parameters."""
    filterset = _filterset(StatementFilter, request, ExportRun.Kind.STATEMENTS, data)
    statements = _valid(lambda: statement_list(filters=filterset))
    # The page's ids first, from the statements alone: joined before the LIMIT, the speaker,
    # article and outlet rows of every match were read to keep 26 of them (2,700 article
    # rows, 200 ms, for two words in one year at a million statements).
    page = view.paginate_queryset(statements.select_related(None).only("id"))
    show_links = visibility.may_view_links(request.user)
    rows = _statement_rows([statement.pk for statement in page], show_links=show_links)
    serializer = s.StatementSerializer(rows, many=True, show_links=show_links)
    return view.get_paginated_response(serializer.data)


def _statement_rows(ids: list[int], *, show_links: bool) -> list[Statement]:
    """The statements `ids` in that order, with what the API shows of them (not the
    article's body, nor the search document)."""
    statements = Statement.objects.select_related("speaker", "article__source").defer(
        "search_document", "article__body"
    )
    if show_links:
        statements = statements.prefetch_related(
            Prefetch("links", queryset=ClaimLink.objects.select_related("claim"))
        )
    loaded = statements.order_by().in_bulk(ids)
    return [loaded[pk] for pk in ids]


class StatementViewSet(viewsets.ReadOnlyModelViewSet):
    """Statements, with exactly the filters of the search page (`q`, `speaker`, `claim`,
    `stance`, `outlet`, `country`, `language`, `kind`, `said_on_after`, `said_on_before`),
    newest stored first (`order=oldest`: oldest first). `claim` and `stance`, and each
    statement's `links`, only for users who may view claims and claim links."""

    queryset = Statement.objects.all()
    serializer_class = s.StatementSerializer
    filter_backends = [_VisibleFilterBackend]
    filterset_class = StatementFilter

    def list(self, request, *args, **kwargs):
        return _statements_page(self, request)

    def retrieve(self, request, *args, **kwargs):
        show_links = visibility.may_view_links(request.user)
        self.queryset = Statement.objects.only("id")
        (statement,) = _statement_rows([self.get_object().pk], show_links=show_links)
        return Response(s.StatementSerializer(statement, show_links=show_links).data)


class ClaimViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Claims, filtered as the claims report is (`q`, `status`, `language`,
    `first_seen_at_after`, `first_seen_at_before`). Counts and links per stance only for
    users who may view claim links. A new claim is searched for in recent statements."""

    queryset = Claim.objects.all()
    serializer_class = s.ClaimSerializer
    filter_backends = [_VisibleFilterBackend]
    filterset_class = ClaimFilter

    def get_serializer(self, *args, **kwargs):
        kwargs.setdefault("context", self.get_serializer_context())
        kwargs["show_counts"] = visibility.may_view_link_counts(self.request.user)
        return self.get_serializer_class()(*args, **kwargs)

    def get_serializer_class(self):
        return s.ClaimDetailSerializer if self.action == "retrieve" else s.ClaimSerializer

    def list(self, request, *args, **kwargs):
        claims = _valid(lambda: claim_list(filters=ClaimFilter(request.query_params)))
        page = self.paginate_queryset(claims)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        self.queryset = Claim.objects.all()
        pk = self.get_object().pk  # 404 and object permissions as DRF does them
        claim = claim_detail(claim_id=pk)
        context = self.get_serializer_context()
        if visibility.may_view_link_counts(request.user):
            context["timeline"] = claim_timeline(claim=claim).select_related(
                "statement__speaker", "statement__article"
            )
        return Response(self.get_serializer(claim, context=context).data)

    @extend_schema(responses={200: OpenApiResponse(description="schema.org ClaimReview")})
    @action(detail=True, methods=["get"], renderer_classes=[JsonLdRenderer])
    def claimreview(self, request, pk=None):
        """The claim's verdict as schema.org ClaimReview JSON-LD (404 without a verdict)."""
        self.queryset = reviewed_claims()
        claim = self.get_object()
        links = claim_appearances(claim=claim, limit=APPEARANCES_MAX)
        return Response(claim_review(claim=claim, links=links))

    def perform_create(self, serializer):
        self._save(Claim(**serializer.validated_data), serializer)

    def perform_update(self, serializer):
        claim = serializer.instance
        for field, value in serializer.validated_data.items():
            setattr(claim, field, value)
        self._save(claim, serializer)

    def _save(self, claim: Claim, serializer) -> None:
        try:
            serializer.instance = claim_save(claim=claim)
        except ClaimError as exc:
            raise ValidationError({"text": [str(exc)]}) from None


class ClaimReviewFeedView(ListAPIView):
    """Every claim with a verdict, as a schema.org DataFeed of ClaimReviews, by cursor
    (`Link: <…>; rel="next"` names the next page)."""

    queryset = Claim.objects.all()
    renderer_classes = [JsonLdRenderer]
    pagination_class = FeedPagination

    @extend_schema(responses={200: OpenApiResponse(description="schema.org DataFeed")})
    def get(self, request, *args, **kwargs):
        claims = self.paginate_queryset(reviewed_claims())
        # One query for the whole page's appearances, not one per claim.
        appearances = claims_appearances(claims=claims, limit=APPEARANCES_MAX)
        feed = claim_reviews_feed(
            (claim, claim_review(claim=claim, links=appearances.get(claim.pk, [])))
            for claim in claims
        )
        return self.paginator.get_paginated_response(feed)


class SpeakerViewSet(viewsets.ReadOnlyModelViewSet):
    """Speakers with their aliases; `/speakers/{id}/statements/` lists what they said."""

    queryset = Speaker.objects.prefetch_related("aliases")
    serializer_class = s.SpeakerSerializer

    @extend_schema(responses=s.StatementSerializer(many=True))
    @action(detail=True, methods=["get"])
    def statements(self, request, pk=None):
        speaker = self.get_object()
        if not request.user.has_perm("claims.view_statement"):
            self.permission_denied(request, "You may not view statements.")
        data = request.query_params.copy()
        data["speaker"] = str(speaker.pk)
        return _statements_page(self, request, data)


class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    """Outlets."""

    queryset = Source.objects.all()
    serializer_class = s.SourceSerializer


class SuggestionViewSet(viewsets.ReadOnlyModelViewSet):
    """The review queue: pending suggestions unless `status` says otherwise, with the queue's
    filters (`status`, `suggested_stance`, `claim`, `method`, `created_at_after/before`).
    `accept` and `reject` take the suggestion as the review page does: of two decisions at
    once exactly one lands, and the other is answered 409 with who decided first."""

    queryset = Suggestion.objects.all()
    serializer_class = s.SuggestionSerializer
    filter_backends = [_VisibleFilterBackend]
    filterset_class = SuggestionFilter

    def _serializer(self, *args, **kwargs):
        show = visibility.may_view_claims(self.request.user)
        return s.SuggestionSerializer(*args, show_claims=show, **kwargs)

    def list(self, request, *args, **kwargs):
        data = request.query_params.copy()
        data.setdefault("status", Suggestion.Status.PENDING)
        filterset = _filterset(SuggestionFilter, request, ExportRun.Kind.SUGGESTIONS, data)
        suggestions = _valid(lambda: suggestion_list(filters=filterset))
        page = self.paginate_queryset(suggestions)
        return self.get_paginated_response(self._serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        self.queryset = Suggestion.objects.select_related(
            "statement__speaker", "statement__article", "claim", "reviewed_by"
        )
        return Response(self._serializer(self.get_object()).data)

    def _decide(self, request, pk, decide) -> Response:
        try:
            suggestion_id = int(pk)
        except ValueError:
            return Response({"detail": "No such suggestion."}, status=status.HTTP_404_NOT_FOUND)
        try:
            result = decide(suggestion_id)
        except ReviewError as exc:
            if not Suggestion.objects.filter(pk=suggestion_id).exists():
                return Response({"detail": str(exc)}, status=status.HTTP_404_NOT_FOUND)
            decided = Suggestion.objects.select_related("reviewed_by").get(pk=suggestion_id)
            return Response(
                {
                    "detail": str(exc),
                    "status": decided.status,
                    "decided_by": decided.reviewed_by.get_username()
                    if decided.reviewed_by
                    else None,
                    "decided_at": decided.reviewed_at,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(result)

    @extend_schema(
        request=s.AcceptSerializer,
        responses={200: s.DecisionSerializer, 409: OpenApiResponse(description="Decided already")},
    )
    @action(
        detail=True, methods=["post"], permission_classes=[requires("claims.review_suggestion")]
    )
    def accept(self, request, pk=None):
        body = s.AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        stance = body.validated_data.get("stance")

        def decide(suggestion_id: int) -> dict:
            link = suggestion_accept(suggestion_id=suggestion_id, user=request.user, stance=stance)
            return {"suggestion": suggestion_id, "status": "accepted", "link": link.pk}

        return self._decide(request, pk, decide)

    @extend_schema(
        request=s.RejectSerializer,
        responses={200: s.DecisionSerializer, 409: OpenApiResponse(description="Decided already")},
    )
    @action(
        detail=True, methods=["post"], permission_classes=[requires("claims.review_suggestion")]
    )
    def reject(self, request, pk=None):
        body = s.RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)

        def decide(suggestion_id: int) -> dict:
            suggestion_reject(
                suggestion_id=suggestion_id,
                user=request.user,
                reason=body.validated_data["reason"],
            )
            return {"suggestion": suggestion_id, "status": "rejected", "link": None}

        return self._decide(request, pk, decide)


class ArticlesView(APIView):
    """POST one article (a JSON object with the fields of a `manage.py ingest` JSON Lines
    record) or a list of them. They are checked and stored as ingestion stores them and
    queued for extraction; the answer (202) gives each record's article id (null for a bad
    record, named `records[i]` with its field and problem) and the ingestion run's URL."""

    permission_classes = [requires("sources.add_article")]

    @extend_schema(
        request=s.ArticleRecordSerializer(many=True),
        responses={202: s.ArticlesAcceptedSerializer, 400: s.ArticlesAcceptedSerializer},
    )
    def post(self, request):
        records = request.data if isinstance(request.data, list) else [request.data]
        if not records:
            raise ValidationError({"records": ["send one article or a list of them"]})
        if len(records) > settings.API_MAX_BATCH:
            raise ValidationError(
                {"records": [f"{len(records)} records; send at most {settings.API_MAX_BATCH}"]}
            )
        run, ids = ingest_records(
            records=records,
            target=f"API request by {request.user.get_username()}",
            on_stored=articles_extract_queue,
        )
        body = {
            "run": run.pk,
            "status_url": request.build_absolute_uri(
                reverse("api:ingestionrun-detail", args=[run.pk])
            ),
            "articles": ids,
            "new": run.new,
            "duplicates": run.duplicates,
            "failed": run.failed,
            "errors": run.errors,
        }
        accepted = run.new or run.duplicates
        return Response(body, status=status.HTTP_202_ACCEPTED if accepted else 400)


class IngestionRunView(RetrieveAPIView):
    """An ingestion run: its status, counts and the errors of its bad records."""

    queryset = IngestionRun.objects.all()
    serializer_class = s.IngestionRunSerializer
