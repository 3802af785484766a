"""Writes for claims and their variants: every new one is searched for in recent statements."""

from __future__ import annotations

from django.db import transaction

from claims.models import Claim, ClaimVariant
from claims.services.queueing import claim_search_queue


class ClaimError(Exception):
    """A claim or variant cannot be saved as given; the message names it."""


@transaction.atomic
def claim_save(*, claim: Claim) -> Claim:
    """Insert or update a claim; a new one is searched for in recent statements."""
    created = claim._state.adding
    if not claim.text.strip():
        raise ClaimError("a claim needs a text")
    claim.save()
    if created:
        claim_search_queue(claim_id=claim.pk)
    return claim


@transaction.atomic
def claim_variant_save(*, variant: ClaimVariant) -> ClaimVariant:
    """Insert or update a variant; its claim is searched for again if the wording is new."""
    created = variant._state.adding
    if not variant.text.strip():
        raise ClaimError(f"a variant of claim {variant.claim_id} needs a text")
    variant.save()
    if created:
        claim_search_queue(claim_id=variant.claim_id)
    return variant
