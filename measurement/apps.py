from __future__ import annotations

from django.apps import AppConfig


class MeasurementConfig(AppConfig):
    """Installed for its management commands only: it has no models and no tasks."""

    name = "measurement"
    verbose_name = "Measurement"
