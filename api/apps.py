from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API tokens and webhooks"

    def ready(self) -> None:
        from api import signals  # noqa: F401  (connects the webhook receivers)
