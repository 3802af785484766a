"""Alerts pages: notifications, the user's own watches, watch buttons' targets, unsubscribe.

Thin: each view calls a selector or a service. Every change is a CSRF-protected POST.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from alerts.models import Delivery, Watch
from alerts.selectors import notification_list, watch_list
from alerts.services import delivery
from alerts.services import notifications as notification_services
from alerts.services import watches as watch_services
from alerts.services.delivery import item_of

PAGE_SIZE = 50


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return HttpResponseRedirect(target)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    paginator = Paginator(notification_list(user=request.user, unread_only=unread_only), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/notifications.html",
        {
            "page": page,
            "items": [item_of(n) for n in page.object_list],
            "unread_only": unread_only,
        },
    )


@require_POST
@login_required
def mark_read(request: HttpRequest) -> HttpResponse:
    ids = [int(pk) for pk in request.POST.getlist("id") if pk.isdigit()]
    notification_services.notifications_mark_read(
        user=request.user, ids=None if request.POST.get("all") else ids
    )
    return _back(request, reverse("alerts:notifications"))


@login_required
def watches(request: HttpRequest) -> HttpResponse:
    preference = getattr(request.user, "alert_preference", None)
    return render(
        request,
        "alerts/watches.html",
        {
            "watches": watch_list(user=request.user),
            "deliveries": Delivery.choices,
            "languages": settings.LANGUAGES,
            "language": preference.language if preference else "en",
        },
    )


@require_POST
@login_required
def watch_add(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("target", "")
    try:
        watch = watch_services.watch_create(
            user=request.user,
            kind=request.POST.get("kind", ""),
            target_id=int(target) if target.isdigit() else None,
            name=request.POST.get("name", ""),
            query=request.POST.get("query", ""),
            delivery=request.POST.get("delivery") or Delivery.DIGEST,
        )
    except watch_services.WatchError as exc:
        messages.error(request, f"Not watched: {exc}.")
    else:
        messages.success(request, f"Watching {watch}. Your alerts page lists your watches.")
    return _back(request, reverse("alerts:watches"))


@require_POST
@login_required
def watch_change(request: HttpRequest, pk: int) -> HttpResponse:
    watch = get_object_or_404(Watch, pk=pk, user=request.user)
    try:
        watch_services.watch_update(watch=watch, delivery=request.POST.get("delivery", ""))
    except watch_services.WatchError as exc:
        messages.error(request, str(exc))
    return _back(request, reverse("alerts:watches"))


@require_POST
@login_required
def watch_remove(request: HttpRequest, pk: int) -> HttpResponse:
    if watch_services.watch_delete(watch_id=pk, user=request.user):
        messages.success(request, "Watch removed.")
    return _back(request, reverse("alerts:watches"))


@require_POST
@login_required
def language(request: HttpRequest) -> HttpResponse:
    try:
        notification_services.preference_set(
            user=request.user, language=request.POST.get("language", "")
        )
    except notification_services.PreferenceError as exc:
        messages.error(request, str(exc))
    return redirect("alerts:watches")


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """An e-mail's unsubscribe link: works signed out (the token is signed). GET asks, POST
    removes, so that a mail scanner following links unsubscribes nobody."""
    watch = watch_services.watch_from_token(token)
    if watch is None:
        return render(request, "alerts/unsubscribe.html", {"watch": None}, status=404)
    if request.method == "POST":
        name = str(watch)
        delivery.watch_unsubscribe(watch=watch)
        return render(request, "alerts/unsubscribe.html", {"done": name})
    return render(request, "alerts/unsubscribe.html", {"watch": watch})
