"""Who said what, the claims they touch, confirmed links and machine suggestions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Now
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sources.models import Article, country_constraint, language_constraint, language_field
from sources.search import search_document
from sources.text import normalise


class Stance(models.TextChoices):
    ASSERTS = "asserts", "Asserts"
    DENIES = "denies", "Denies"
    QUESTIONS = "questions", "Questions"
    MENTIONS = "mentions", "Mentions"


class MatchingStatus(models.TextChoices):
    """Whether the matcher has done its work on a row yet (not whether it found anything)."""

    PENDING = "pending", "Pending"
    DONE = "done", "Done"


def matching_status_field(help_text: str) -> models.CharField:
    # db_default: rows written by COPY or bulk_create without the column start pending too.
    return models.CharField(
        max_length=8,
        choices=MatchingStatus.choices,
        default=MatchingStatus.PENDING,
        db_default=MatchingStatus.PENDING,
        editable=False,
        help_text=help_text,
    )


def matching_status_changed_at_field() -> models.DateTimeField:
    # Also stamped by the sweeper when it queues the row again, so that a row is queued at
    # most once per stale period.
    return models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)


class Speaker(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"

    name = models.CharField(max_length=300, help_text="Display name, usually in Latin script")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PERSON)
    role = models.CharField(max_length=300, blank=True, help_text="Current title or position")
    organisation = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2, e.g. AZ")
    wikidata_id = models.CharField(max_length=20, blank=True, help_text="e.g. Q12345")
    is_confirmed = models.BooleanField(
        default=True, help_text="False for speakers created by extraction and not yet checked"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Merges and confirmations are recorded with who and when (the change reason says which).
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            country_constraint("speaker"),
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=r"^Q[1-9][0-9]*$"),
                name="speaker_wikidata_id_format",
                violation_error_message="Wikidata id must look like Q12345.",
            ),
            models.UniqueConstraint(
                fields=["wikidata_id"], condition=~Q(wikidata_id=""), name="speaker_unique_wikidata"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SpeakerAlias(models.Model):
    """A name the speaker goes by, in any script: Pezeshkian, پزشکیان, Пезешкиан."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    language = language_field()
    key = models.CharField(max_length=300, editable=False, help_text="Normalised name")

    class Meta:
        verbose_name_plural = "speaker aliases"
        ordering = ["speaker", "name"]
        constraints = [
            language_constraint("speakeralias"),
            models.UniqueConstraint(fields=["speaker", "key"], name="speakeralias_unique_key"),
        ]
        indexes = [
            # Extraction resolves every name it finds in an article through this key.
            models.Index(fields=["key"], name="speakeralias_key_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.key = normalise(self.name)
        super().save(*args, **kwargs)


class StatementManager(models.Manager):
    def bulk_create(self, objs, *args, **kwargs):
        # Ingestion may write statements in bulk, which skips save(): fill the search
        # document here too, so no statement is ever missing from search.
        objs = list(objs)
        for obj in objs:
            if obj.search_document is None:
                obj.search_document = obj.build_search_document()
        return super().bulk_create(objs, *args, **kwargs)


class Statement(models.Model):
    class Kind(models.TextChoices):
        QUOTE = "quote", "Direct quote"
        REPORTED = "reported", "Reported speech"
        PARAPHRASE = "paraphrase", "Paraphrase"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="statements")
    speaker = models.ForeignKey(Speaker, on_delete=models.PROTECT, related_name="statements")
    speaker_role = models.CharField(
        max_length=300, blank=True, help_text="The speaker's role as given in the article"
    )
    text = models.TextField(help_text="Exactly as published: article.body[start:end]")
    start = models.PositiveIntegerField(help_text="Character offset into the article body")
    end = models.PositiveIntegerField()
    language = language_field()
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.REPORTED)
    # db_default: rows written by COPY (the data set generator) need not name these columns.
    cue = models.CharField(
        max_length=200,
        blank=True,
        db_default="",
        help_text="The reporting words as written (نے کہا کہ, نفى, گفت)",
    )
    # What the reporting verb does to its content clause: a denial verb over a clause that
    # restates a claim denies it; an accusation asserts it; empty for neutral verbs (said).
    cue_stance = models.CharField(max_length=12, choices=Stance.choices, blank=True, db_default="")
    said_on = models.DateField(null=True, blank=True, help_text="When it was said, if known")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Pending until one transaction has stored the matcher's suggestions for it (see
    # claims/services/matching.py); the sweeper queues statements left pending again.
    matching_status = matching_status_field("Whether claim matching has run for it")
    matching_status_changed_at = matching_status_changed_at_field()
    # The statement's words and its article's title, normalised by sources.text (see
    # sources/search.py); written on save and bulk_create, never by hand.
    search_document = SearchVectorField(null=True, editable=False)

    objects = StatementManager()

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            language_constraint("statement"),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="statement_span_not_empty"
            ),
            # The stored text is the span itself, so offsets cannot silently drift from it.
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("text")), name="statement_text_matches_span"
            ),
            models.UniqueConstraint(
                fields=["article", "start", "end"], name="statement_unique_span"
            ),
        ]
        indexes = [
            # A speaker's history in time order.
            models.Index(fields=["speaker", "said_on"], name="statement_speaker_said_idx"),
            # Search and reports filtered by date.
            models.Index(fields=["said_on"], name="statement_said_on_idx"),
            # Full-text search: `search_document @@ tsquery` in statement_list and the admin.
            GinIndex(fields=["search_document"], name="statement_search_gin"),
            # Search results and the admin list, newest first: ORDER BY said_on DESC NULLS
            # LAST, id DESC LIMIT n walks this index instead of sorting every match.
            models.Index(
                F("said_on").desc(nulls_last=True),
                F("id").desc(),
                name="statement_said_desc_idx",
            ),
            # The review queue's language filter: its pending suggestions joined to the
            # statements in one language. Without it PostgreSQL read every statement to
            # find one language's (50 ms at 50,000 statements; 1.5 ms with it, read from
            # the index alone).
            models.Index(fields=["language", "id"], name="statement_language_idx"),
            # The sweeper: statements still pending matching and stamped before the stale
            # threshold. Partial, so the done rows (nearly all) cost it nothing.
            models.Index(
                fields=["matching_status_changed_at"],
                condition=Q(matching_status="pending"),
                name="statement_matching_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.text[:60]}"

    def save(self, *args, **kwargs) -> None:
        self.search_document = self.build_search_document()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_document"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.article_id is not None and self.start is not None and self.end is not None:
            span = self.article.body[self.start : self.end]
            if span != self.text:
                raise ValidationError(
                    {
                        "text": f"The article body at {self.start}–{self.end} reads {span[:80]!r}, "
                        "not this text: fix the offsets or the text."
                    }
                )

    def build_search_document(self) -> str:
        return search_document(self.text, self.article.title if self.article_id else "")


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# The numeric scale of verdicts (ClaimReview worstRating / bestRating).
VERDICT_WORST, VERDICT_BEST = 1, 5


class Claim(models.Model):
    class Status(models.TextChoices):
        UNVERIFIED = "unverified", "Unverified"
        DISPUTED = "disputed", "Disputed"
        DENIED = "denied", "Denied"
        CONFIRMED = "confirmed", "Confirmed"
        FALSE = "false", "False"
        MISLEADING = "misleading", "Misleading"

    text = models.TextField(help_text="The canonical proposition")
    language = language_field()
    gloss_en = models.TextField("English gloss", blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNVERIFIED)
    external_id = models.CharField(
        max_length=100, null=True, blank=True, unique=True, help_text="Id in an imported file"
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    first_seen_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Pending from a new claim or a new phrasing until the search of recent statements for it
    # has stored its suggestions; the sweeper queues claims left pending again.
    matching_status = matching_status_field(
        "Whether recent statements have been searched for it since its last new phrasing"
    )
    matching_status_changed_at = matching_status_changed_at_field()
    # The verdict of a fact-check, published as schema.org ClaimReview (claims/services/
    # claimreview.py) or imported from one; a claim has a verdict when `verdict` is set.
    verdict = models.CharField(
        max_length=100,
        blank=True,
        db_default="",
        help_text="The rating as published (ClaimReview alternateName): False, Misleading…",
    )
    verdict_rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=f"The verdict on a scale of {VERDICT_WORST} (false) to {VERDICT_BEST} (true)",
    )
    reviewer = models.CharField(
        max_length=200,
        blank=True,
        db_default="",
        help_text="Who reviewed it (empty: this desk, CLAIMLEDGER_DESK_NAME)",
    )
    reviewer_url = models.URLField(max_length=2000, blank=True, db_default="")
    review_url = models.URLField(
        max_length=2000,
        null=True,
        blank=True,
        unique=True,
        help_text="The page that publishes the review; one claim per review",
    )
    review_date = models.DateField(null=True, blank=True)

    # Who changed what and when, shown under History in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_seen_at", "-id"]
        indexes = [
            # The claims report, newest first: ORDER BY first_seen_at DESC, id DESC LIMIT n.
            models.Index(F("first_seen_at").desc(), F("id").desc(), name="claim_first_seen_idx"),
            # The recent-statement search takes the owed claims, oldest first
            # (claims/services/matching_rescan.py), and the sweeper the stale ones.
            models.Index(
                fields=["matching_status_changed_at"],
                condition=Q(matching_status="pending"),
                name="claim_matching_pending_idx",
            ),
            # The ClaimReview feed: the reviewed claims, paged by id.
            models.Index(fields=["id"], condition=~Q(verdict=""), name="claim_reviewed_idx"),
        ]
        constraints = [
            language_constraint("claim"),
            models.CheckConstraint(condition=~Q(text=""), name="claim_text_not_empty"),
            # ClaimReview requires the review's URL: a verdict is published somewhere.
            models.CheckConstraint(
                condition=Q(verdict="") | Q(review_url__isnull=False),
                name="claim_verdict_has_review_url",
                violation_error_message="A claim with a verdict needs the review's URL.",
            ),
            models.CheckConstraint(
                condition=Q(verdict_rating__isnull=True)
                | Q(verdict_rating__gte=VERDICT_WORST, verdict_rating__lte=VERDICT_BEST),
                name="claim_verdict_rating_in_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.gloss_en or self.text


class ClaimVariant(models.Model):
    """The same claim phrased in another language or other words."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="variants")
    text = models.TextField()
    language = language_field()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # Who changed what and when, shown under History in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "language", "id"]
        constraints = [
            language_constraint("claimvariant"),
            models.CheckConstraint(condition=~Q(text=""), name="claimvariant_text_not_empty"),
            models.UniqueConstraint(
                fields=["claim", "language", "text"], name="claimvariant_unique_text"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Suggestion(models.Model):
    """A machine-proposed statement–claim link waiting for, or past, an analyst's decision."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="suggestions")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="suggestions")
    score = models.FloatField()
    method = models.CharField(max_length=50, help_text="Matcher and version that proposed it")
    evidence = models.JSONField(default=dict, blank=True, help_text="Matched words and spans")
    suggested_stance = models.CharField(max_length=10, choices=Stance.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # Who changed what and when, shown under History in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-score"]
        permissions = [
            ("review_suggestion", "Can accept or reject a suggestion"),
            ("bulk_review_suggestion", "Can accept or reject suggestions in bulk"),
        ]
        constraints = [
            # One suggestion per pair, ever: a rejected pair can never be suggested again,
            # and a statement linked twice cannot queue the same claim twice.
            models.UniqueConstraint(fields=["statement", "claim"], name="suggestion_unique_pair"),
            models.CheckConstraint(
                condition=Q(status="pending", reviewed_at__isnull=True)
                | (~Q(status="pending") & Q(reviewed_at__isnull=False)),
                name="suggestion_reviewed_iff_decided",
            ),
            models.CheckConstraint(
                condition=Q(reject_reason="") | Q(status="rejected"),
                name="suggestion_reason_only_when_rejected",
            ),
        ]
        indexes = [
            # The review queue: pending suggestions, newest and best first.
            models.Index(
                F("created_at").desc(),
                F("score").desc(),
                condition=Q(status="pending"),
                name="suggestion_pending_queue_idx",
            ),
            models.Index(fields=["claim", "status"], name="suggestion_claim_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} → {self.claim_id} ({self.get_status_display()})"


class ClaimLink(models.Model):
    """A confirmed statement–claim link with the statement's stance towards the claim."""

    class Origin(models.TextChoices):
        MANUAL = "manual", "Added by an analyst"
        REVIEW = "review", "Accepted suggestion"
        AUTO = "auto", "Auto-confirmed by the matcher"
        SEED = "seed", "Seed data"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="links")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links")
    stance = models.CharField(max_length=10, choices=Stance.choices)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    suggestion = models.OneToOneField(
        Suggestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="link"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when confirmed by the system (seed data, auto-confirmation)",
    )
    confirmed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    # Who changed what and when, shown under History in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "confirmed_at"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "claim"], name="claimlink_unique_pair"),
        ]
        indexes = [
            # A claim's history: its links in time order.
            models.Index(fields=["claim", "confirmed_at"], name="claimlink_claim_time_idx"),
            # The claims report and claim page: links per claim and stance, counted from the
            # index alone.
            models.Index(fields=["claim", "stance"], name="claimlink_claim_stance_idx"),
            # The search page's stance filter: the statements with a link of one stance, read
            # from this index alone rather than from every link.
            models.Index(fields=["stance", "statement"], name="claimlink_stance_statement_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.statement} — {self.get_stance_display()} — {self.claim}"


class ExportRun(models.Model):
    """One CSV export: who asked for what, how many rows went out, and how it ended."""

    class Kind(models.TextChoices):
        STATEMENTS = "statements", "Statements"
        CLAIMS = "claims", "Claims"
        SUGGESTIONS = "suggestions", "Suggestions"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for exports from the shell",
    )
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    rows = models.PositiveBigIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="running") | Q(finished_at__isnull=False),
                name="exportrun_finished_has_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} export {self.started_at:%Y-%m-%d %H:%M} ({self.status})"


class MatchingState(models.Model):
    """One row that tells every process whether its in-memory claim index is out of date.

    Database triggers (see the migration) bump `version` in the same transaction as any write
    to claims, variants or speaker aliases, and `links_version` with any write to confirmed
    links, so a new version becomes visible exactly when the new data does, whichever process
    or tool wrote it. `token` changes when the row is recreated (a flushed database), so a
    stale index never matches a restarted count.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    token = models.UUIDField()
    version = models.BigIntegerField(default=0)
    links_version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="matchingstate_single_row")]

    def __str__(self) -> str:
        return f"claim index version {self.version}"


class ClaimRemoval(models.Model):
    """A claim or variant deleted (or a variant moved to another claim), written by a database
    trigger: the matcher's saved index still holds the claim's old wording, so until the next
    build the claim is scored from its current wording only (claims/services/matching_index.py).

    `xid` is the deleting transaction's id, compared with the saved index's snapshot.
    """

    claim_id = models.BigIntegerField()
    xid = models.BigIntegerField()
    removed_at = models.DateTimeField(db_default=Now())

    class Meta:
        indexes = [
            # The delta's query: WHERE xid >= <the saved index's snapshot xmin>.
            models.Index(fields=["xid"], name="claimremoval_xid_idx"),
        ]

    def __str__(self) -> str:
        return f"claim {self.claim_id} changed by transaction {self.xid}"


class EncodedText(models.Model):
    """A text's vector by the dense encoder, computed once and kept: a claim's wording is
    encoded when first seen and every later build, on any machine, reads it from here
    (claims/services/vector_store.py). Keyed by the text's digest, not by claim, so an edit
    back to an earlier wording and the same wording on two claims cost nothing.
    """

    encoder = models.CharField(max_length=200)
    # BLAKE2b, 16 bytes, of the text as the matcher joins a claim's phrasings.
    digest = models.BinaryField(max_length=16)
    # float32, unit length, little-endian: numpy.frombuffer reads it as it is.
    vector = models.BinaryField()
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["encoder", "digest"], name="encodedtext_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.encoder}: {bytes(self.digest).hex()}"


class ArticleExtraction(models.Model):
    """What the last extraction of an article found: shown on the article's admin page."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="extraction")
    statements = models.PositiveIntegerField(default=0, help_text="Statements stored")
    unattributed = models.PositiveIntegerField(
        default=0, help_text="Statements from unnamed sources (ذرائع, منابع, مصادر), not stored"
    )
    new_speakers = models.PositiveIntegerField(default=0)
    runs = models.PositiveIntegerField(default=1, help_text="Extractions so far, re-runs included")
    extracted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.article_id}: {self.statements} statements"
