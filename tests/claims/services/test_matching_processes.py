"""The in-process index stays correct when another process writes the claims."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from claims.services.matching import statement_match
from tests.factories import ClaimFactory, StatementFactory


def run_in_another_process(code: str) -> None:
    db = connection.settings_dict
    url = f"postgresql://{db['USER']}@{quote(db['HOST'], safe='')}/{db['NAME']}"
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": url, "DB_CONN_MAX_AGE": "0"},
        check=True,
        capture_output=True,
    )


def test_a_variant_written_by_another_process_is_matched_next_time(transactional_db) -> None:
    claim = ClaimFactory(text="The harbour bridge will close for repairs in spring")
    statement = StatementFactory(text="Die Hafenbrücke wird im Frühling gesperrt", language="de")
    assert statement_match(statement=statement) == []

    run_in_another_process(
        "from claims.models import ClaimVariant; ClaimVariant.objects.create("
        f"claim_id={claim.pk}, language='de', text='Die Hafenbrücke wird im Frühling gesperrt')"
    )

    assert statement_match(statement=statement)[0].claim_id == claim.pk
