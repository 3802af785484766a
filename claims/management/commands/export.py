"""python manage.py export {statements,claims,suggestions} [name=value ...] -o FILE

Filters are the search page's URL parameters: q="آذربایجان" language=ur said_on_after=2026-01-01.
"""

from __future__ import annotations

import sys
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from claims.models import ExportRun
from claims.selectors import InvalidFilters
from claims.services import export


class Command(BaseCommand):
    help = "Write a CSV export (the same file as the Export CSV buttons) to a file or stdout."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=[kind.value for kind in ExportRun.Kind])
        parser.add_argument("filters", nargs="*", metavar="name=value")
        parser.add_argument("-o", "--output", default="-", help="file to write, - for stdout")
        parser.add_argument(
            "--as-user", help="export only what this user may view (default: everything)"
        )

    def handle(self, *args, **options) -> None:
        kind = options["kind"]
        data = QueryDict(mutable=True)
        for item in options["filters"]:
            name, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"filter {item!r} is not name=value")
            known_filters = export.FILTERSETS[kind].base_filters
            if name not in known_filters and not any(
                name.startswith(f"{base}_") for base in known_filters
            ):
                known = ", ".join(known_filters)
                raise CommandError(f"unknown filter {name!r} for {kind}; known: {known}")
            data.appendlist(name, value)
        user = None
        counted: list[int] = []
        if options["as_user"]:
            try:
                user = get_user_model().objects.get_by_natural_key(options["as_user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"no user {options['as_user']!r}") from None
        try:
            stream = export.export_csv(
                kind=kind, user=user, filters=data, on_row_count=counted.append
            )
        except (InvalidFilters, export.ExportError) as exc:
            raise CommandError(str(exc)) from exc
        left_out = set(export.COLUMNS[kind]) - set(export.columns_for(user=user, kind=kind))
        if left_out:
            self.stderr.write(
                f"{user.get_username()} may not view claims or claim links: the file has no "
                f"{', '.join(c for c in export.COLUMNS[kind] if c in left_out)} column"
                f"{'s' if len(left_out) > 1 else ''}"
            )
        started = time.monotonic()
        out = sys.stdout.buffer if options["output"] == "-" else open(options["output"], "wb")  # noqa: SIM115
        size = 0
        with out:
            for chunk in stream:
                out.write(chunk)
                size += len(chunk)
        if options["output"] != "-":
            self.stderr.write(
                f"{counted[0]:,} rows, {size:,} bytes to {options['output']} "
                f"in {time.monotonic() - started:.1f} s"
            )
