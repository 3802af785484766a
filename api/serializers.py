"""What the API shows of each record, and what it accepts for claims and review decisions."""

from __future__ import annotations

from rest_framework import serializers

from claims.models import (
    Claim,
    ClaimLink,
    ClaimVariant,
    Speaker,
    SpeakerAlias,
    Stance,
    Statement,
    Suggestion,
)
from sources.models import Article, IngestionRun, Source


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "kind", "country", "default_language", "home_url", "domain"]


class SourceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "country"]


class ArticleBriefSerializer(serializers.ModelSerializer):
    source = SourceBriefSerializer()

    class Meta:
        model = Article
        fields = ["id", "url", "title", "language", "published_at", "source"]


class SpeakerBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["id", "name", "kind", "country"]


class AliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpeakerAlias
        fields = ["name", "language"]


class SpeakerSerializer(serializers.ModelSerializer):
    aliases = AliasSerializer(many=True, read_only=True)
    statements_url = serializers.SerializerMethodField()

    class Meta:
        model = Speaker
        fields = [
            "id",
            "name",
            "kind",
            "role",
            "organisation",
            "country",
            "wikidata_id",
            "is_confirmed",
            "aliases",
            "statements_url",
        ]

    def get_statements_url(self, speaker: Speaker) -> str:
        request = self.context.get("request")
        path = f"/api/v1/speakers/{speaker.pk}/statements/"
        return request.build_absolute_uri(path) if request else path


class ClaimBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Claim
        fields = ["id", "text", "language", "gloss_en", "status"]


class StatementLinkSerializer(serializers.ModelSerializer):
    claim = ClaimBriefSerializer()

    class Meta:
        model = ClaimLink
        fields = ["claim", "stance", "origin", "confirmed_at"]


class StatementSerializer(serializers.ModelSerializer):
    """A statement; `links` only for users who may view claim links (claims/visibility.py)."""

    speaker = SpeakerBriefSerializer()
    article = ArticleBriefSerializer()
    links = StatementLinkSerializer(many=True, required=False)

    class Meta:
        model = Statement
        fields = [
            "id",
            "text",
            "language",
            "kind",
            "cue",
            "speaker_role",
            "said_on",
            "start",
            "end",
            "speaker",
            "article",
            "links",
        ]

    def __init__(self, *args, show_links: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not show_links:
            self.fields.pop("links")


class VariantSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClaimVariant
        fields = ["id", "text", "language"]


class ClaimSerializer(serializers.ModelSerializer):
    """A claim; the counts per stance only for users who may view claim links."""

    counts = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "text",
            "language",
            "gloss_en",
            "status",
            "external_id",
            "first_seen_at",
            "created_at",
            "updated_at",
            "verdict",
            "verdict_rating",
            "reviewer",
            "reviewer_url",
            "review_url",
            "review_date",
            "counts",
        ]
        read_only_fields = ["first_seen_at", "created_at", "updated_at"]

    def validate(self, attrs: dict) -> dict:
        verdict = attrs.get("verdict", getattr(self.instance, "verdict", ""))
        review_url = attrs.get("review_url", getattr(self.instance, "review_url", None))
        if verdict and not review_url:
            raise serializers.ValidationError(
                {"review_url": ["A claim with a verdict needs the review's URL."]}
            )
        return attrs

    def __init__(self, *args, show_counts: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not show_counts:
            self.fields.pop("counts")

    def get_counts(self, claim: Claim) -> dict[str, int] | None:
        if not hasattr(claim, "statement_count"):
            return None
        return {
            "statements": claim.statement_count,
            "asserts": claim.asserts_count,
            "denies": claim.denies_count,
            "questions": claim.questions_count,
            "mentions": claim.mentions_count,
        }


class LinkedStatementSerializer(serializers.ModelSerializer):
    statement = serializers.SerializerMethodField()

    class Meta:
        model = ClaimLink
        fields = ["statement", "origin", "confirmed_at"]

    def get_statement(self, link: ClaimLink) -> dict:
        statement = link.statement
        return {
            "id": statement.pk,
            "text": statement.text,
            "said_on": statement.said_on,
            "speaker": {"id": statement.speaker_id, "name": statement.speaker.name},
            "article": {"id": statement.article_id, "url": statement.article.url},
        }


class ClaimDetailSerializer(ClaimSerializer):
    variants = VariantSerializer(many=True, read_only=True)
    links = serializers.SerializerMethodField()

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "variants", "links"]

    def __init__(self, *args, show_counts: bool = False, **kwargs) -> None:
        super().__init__(*args, show_counts=show_counts, **kwargs)
        if not show_counts:
            self.fields.pop("links")

    def get_links(self, claim: Claim) -> dict[str, list[dict]]:
        """The claim's linked statements (the timeline's first ones) grouped by stance."""
        grouped: dict[str, list[dict]] = {stance: [] for stance in Stance.values}
        for link in self.context.get("timeline", []):
            grouped[link.stance].append(LinkedStatementSerializer(link).data)
        return grouped


class SuggestionSerializer(serializers.ModelSerializer):
    """A suggestion; its claim and suggested stance only for users who may view claims."""

    statement = serializers.SerializerMethodField()
    claim = ClaimBriefSerializer()
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "status",
            "score",
            "method",
            "statement",
            "claim",
            "suggested_stance",
            "created_at",
            "reviewed_by",
            "reviewed_at",
            "reject_reason",
        ]

    def __init__(self, *args, show_claims: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not show_claims:
            self.fields.pop("claim")
            self.fields.pop("suggested_stance")

    def get_statement(self, suggestion: Suggestion) -> dict:
        statement = suggestion.statement
        return {
            "id": statement.pk,
            "text": statement.text,
            "language": statement.language,
            "said_on": statement.said_on,
            "speaker": {"id": statement.speaker_id, "name": statement.speaker.name},
            "article": {"id": statement.article_id, "url": statement.article.url},
        }


class AcceptSerializer(serializers.Serializer):
    stance = serializers.ChoiceField(
        choices=Stance.choices, required=False, help_text="Default: the suggested stance"
    )


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionSerializer(serializers.Serializer):
    suggestion = serializers.IntegerField()
    status = serializers.CharField()
    link = serializers.IntegerField(allow_null=True)


class ArticleRecordSerializer(serializers.Serializer):
    """One article as `manage.py ingest` reads it from a JSON Lines file (for the schema;
    the records are checked by the ingestion code itself)."""

    url = serializers.URLField()
    body = serializers.CharField()
    title = serializers.CharField(required=False)
    published_at = serializers.CharField(required=False)
    source = serializers.CharField(required=False)
    language = serializers.CharField(required=False)
    author = serializers.CharField(required=False)


class ArticlesAcceptedSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    status_url = serializers.URLField()
    articles = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    new = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    failed = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.DictField())


class IngestionRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = IngestionRun
        fields = [
            "id",
            "kind",
            "target",
            "status",
            "total",
            "new",
            "duplicates",
            "failed",
            "errors",
            "error",
            "started_at",
            "finished_at",
        ]
