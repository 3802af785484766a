"""API tokens: each user creates and revokes their own; the key is shown once, on creation.
Webhook deliveries: the log of what was sent to each token's subscriber URL."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html

from api.models import ApiToken, WebhookDelivery
from api.services.tokens import token_fill, token_revoke


def _own(request: HttpRequest, queryset, field: str = "user"):
    return queryset if request.user.is_superuser else queryset.filter(**{field: request.user})


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "key_prefix", "user", "created_at", "last_used_at", "state"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    fields = ["name", "webhook_url"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request: HttpRequest):
        return _own(request, super().get_queryset(request))

    def get_fields(self, request: HttpRequest, obj=None):
        if obj is None:
            return self.fields
        return [*self.fields, "user", *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return [*self.readonly_fields, "user"] if obj is not None else []

    @admin.display(description="Key", ordering="prefix")
    def key_prefix(self, token: ApiToken) -> str:
        return f"{token.prefix}…"

    @admin.display(description="State")
    def state(self, token: ApiToken) -> str:
        return "live" if token.is_active else f"revoked {token.revoked_at:%Y-%m-%d %H:%M}"

    def save_model(self, request: HttpRequest, obj: ApiToken, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.user = request.user
        key = token_fill(token=obj)
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            format_html(
                "Your new API key (shown this once; store it now): <code>{}</code> — "
                "send it as <code>Authorization: Token {}</code>. Webhook signing secret: "
                "<code>{}</code>.",
                key,
                key,
                obj.webhook_secret,
            ),
        )

    @admin.action(description="Revoke selected tokens", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset) -> None:
        revoked = sum(token_revoke(token_id=pk) for pk in queryset.values_list("pk", flat=True))
        self.message_user(request, f"{revoked} token(s) revoked.")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and not obj.is_active:
            return False
        return super().has_change_permission(request, obj)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "url", "status", "attempts", "response_status"]
    list_filter = ["status", "event"]
    list_select_related = ["token"]
    raw_id_fields = ["token"]
    search_fields = ["url"]
    readonly_fields = [
        "token",
        "event",
        "url",
        "payload",
        "status",
        "attempts",
        "response_status",
        "error",
        "created_at",
        "status_changed_at",
        "delivered_at",
    ]

    def get_queryset(self, request: HttpRequest):
        return _own(request, super().get_queryset(request), "token__user")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
