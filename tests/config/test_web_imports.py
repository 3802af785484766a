"""What a web process loads: the URLconf and admin, not the matcher, the extractor or the
measuring code (the `measurement` app is installed for its commands; only its AppConfig loads)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import json, sys, django
django.setup()
import config.urls, config.wsgi
from django.contrib import admin
admin.autodiscover()
heavy = {"bm25s", "claims.services.matching", "claims.services.extraction"}
loaded = [name for name in sys.modules if name in heavy]
loaded += [
    name for name in sys.modules
    if name.startswith("measurement.") and name != "measurement.apps"
]
print(json.dumps(sorted(loaded)))
"""


def test_a_web_process_starts_without_loading_the_matcher_or_the_measuring_code() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
