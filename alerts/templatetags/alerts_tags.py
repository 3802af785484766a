from __future__ import annotations

from django import template
from django.urls import reverse

from alerts.models import Delivery, Watch
from alerts.services.permissions import WATCH, may

register = template.Library()


@register.inclusion_tag("alerts/_watch_button.html", takes_context=True)
def watch_button(context, kind: str, target_id: int) -> dict:
    """A Watch / Stop watching button for a claim or a speaker, for users who may watch it."""
    request = context["request"]
    user = request.user
    field = "claim_id" if kind == Watch.Kind.CLAIM else "speaker_id"
    watch = Watch.objects.filter(user=user, kind=kind, **{field: target_id}).first()
    return {
        "allowed": user.is_authenticated and may(user, WATCH[kind]),
        "watch": watch,
        "kind": kind,
        "target": target_id,
        "next": request.get_full_path(),
        "deliveries": Delivery.choices,
        "csrf_token": context.get("csrf_token"),
        "add_url": reverse("alerts:watch_add"),
    }


@register.inclusion_tag("alerts/_save_search.html", takes_context=True)
def save_search_form(context, query: str) -> dict:
    request = context["request"]
    user = request.user
    return {
        "allowed": user.is_authenticated and may(user, WATCH[Watch.Kind.SEARCH]) and bool(query),
        "query": query,
        "next": request.get_full_path(),
        "deliveries": Delivery.choices,
        "csrf_token": context.get("csrf_token"),
    }
