"""Webhook events: receivers that turn claims' events into deliveries (api/services/webhooks.py).

A verdict change is seen on any save of a claim (admin, API, ClaimReview import): the verdict
before is read in pre_save and compared in post_save, in the same transaction.
"""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from api.services import webhooks
from claims.models import Claim
from claims.signals import suggestion_accepted


@receiver(suggestion_accepted)
def _suggestion_accepted(sender, suggestion, link, user, **kwargs) -> None:
    webhooks.suggestion_accepted_notify(link=link, suggestion_id=suggestion.pk, user=user)


@receiver(pre_save, sender=Claim)
def _verdict_before(sender, instance: Claim, raw: bool = False, **kwargs) -> None:
    if raw or instance._state.adding or instance.pk is None:
        instance._verdict_before = None
        return
    before = Claim.objects.filter(pk=instance.pk).values(*webhooks.VERDICT_FIELDS).first()
    instance._verdict_before = before


@receiver(post_save, sender=Claim)
def _verdict_after(sender, instance: Claim, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    webhooks.verdict_changed_notify(
        claim=instance, before=getattr(instance, "_verdict_before", None)
    )
