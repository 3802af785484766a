from __future__ import annotations

from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Alerts"

    def ready(self) -> None:
        # Claims knows nothing about alerts: it announces what it stored, inside the storing
        # transaction, and these receivers write the events beside it.
        from alerts import receivers

        receivers.connect()
