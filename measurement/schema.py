"""A throwaway PostgreSQL schema, so a measurement never touches the user's tables."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection


@contextmanager
def throwaway_schema() -> Iterator[str]:
    """Point this connection at a new, migrated schema; drop it afterwards."""
    schema = f"evaluation_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {schema}")
        cursor.execute(f"SET search_path TO {schema}")
    try:
        call_command("migrate", verbosity=0, interactive=False)
        yield schema
    finally:
        with connection.cursor() as cursor:
            # Inside an outer transaction (tests), deferred foreign-key checks still pending
            # on the schema's tables would block the drop.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET search_path TO DEFAULT")
            cursor.execute(f"DROP SCHEMA {schema} CASCADE")
        # Content types cached while migrating have the throwaway schema's ids.
        ContentType.objects.clear_cache()
