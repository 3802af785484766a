"""Alerts in the admin: watches, events and notifications for operators. The daily digest's
time is the crontab of the periodic task "Send alert digests" (Periodic tasks, below)."""

from __future__ import annotations

from django.contrib import admin

from alerts.models import Event, Notification, Preference, Watch
from alerts.services.watches import saved_search_query, search_columns


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "kind", "delivery", "created_at"]
    list_filter = ["kind", "delivery"]
    list_select_related = ["user", "claim", "speaker"]
    raw_id_fields = ["user", "claim", "speaker"]
    search_fields = ["user__username", "name", "claim__text", "speaker__name"]

    def save_model(self, request, obj, form, change):
        if obj.kind == Watch.Kind.SEARCH:
            obj.query = saved_search_query(obj.query, user=obj.user)
            search_columns(obj)
        super().save_model(request, obj, form, change)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "claim", "stance", "previous_stance", "created_at"]
    list_filter = ["kind", "confirmed"]
    list_select_related = ["claim", "statement__speaker"]
    raw_id_fields = ["statement", "claim", "watch", "previous_statement"]
    readonly_fields = [f.name for f in Event._meta.fields]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "delivery", "email", "email_sent_at", "read_at"]
    list_filter = ["delivery", "email"]
    list_select_related = ["user", "event__statement__speaker"]
    raw_id_fields = ["user", "event", "watch"]
    search_fields = ["user__username"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    raw_id_fields = ["user"]
