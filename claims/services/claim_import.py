"""Import claims from JSON Lines or CSV: validate every row, then write the good ones in one
transaction. Each bad row is named (line and field) and skipped; `strict=True` refuses the whole
file instead.

JSON Lines, one claim a line:
    {"id": "C1", "text": "...", "language": "en", "status": "unverified",
     "gloss_en": "...", "variants": [{"language": "ur", "text": "..."}]}
CSV with a header row: id, text, language, status, gloss_en, and one `variant_<language>`
column per variant language (e.g. `variant_ur`). Only `text` and `language` are required.

`id` is the claim's external id: a claim already imported under it is left as it is, and only
variants it lacks are added, so importing the same file twice changes nothing.

A claim's text, gloss and variants are at most CLAIMLEDGER_MAX_CLAIM_CHARS characters: every
worker holds every claim in its matching index, so one huge claim slows every link. A variant
must also fit the btree index behind its (claim, language, text) uniqueness, whose rows
PostgreSQL caps at 2,704 bytes: VARIANT_MAX_BYTES of UTF-8 leaves room for the other columns.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from claims.models import Claim, ClaimVariant
from claims.services.queueing import claims_search_owed
from sources.services import values

VARIANT_MAX_BYTES = 2_600
_VARIANT_COLUMN = re.compile(r"^variant_(.+)$")
_FIELDS = {"id", "text", "language", "status", "gloss_en", "variants"}


class ClaimImportError(Exception):
    """The file cannot be imported; the message names every line at fault."""


@dataclass
class ClaimRow:
    line: int
    external_id: str | None
    text: str
    language: str
    status: str
    gloss_en: str
    variants: list[tuple[str, str]]


@dataclass
class ImportReport:
    claims_created: int = 0
    variants_created: int = 0
    unchanged: int = 0
    claim_ids: list[int] = field(default_factory=list)
    # One message per problem, each naming its line; a line may have several.
    errors: list[str] = field(default_factory=list)
    skipped_lines: int = 0

    def __str__(self) -> str:
        text = (
            f"{self.claims_created} claims and {self.variants_created} variants created, "
            f"{self.unchanged} claims already up to date"
        )
        if self.skipped_lines:
            text += f", {self.skipped_lines} bad lines skipped"
        return text


def _row(line: int, data: Any) -> tuple[ClaimRow | None, list[str]]:
    if not isinstance(data, dict):
        return None, [f"line {line}: expected an object, got {type(data).__name__}"]
    errors = [
        f"line {line}: unknown field {values.shown(name)}" for name in sorted(set(data) - _FIELDS)
    ]
    external_id = data.get("id") or None
    text = data.get("text")
    language = data.get("language")
    status = data.get("status") or Claim.Status.UNVERIFIED
    gloss_en = data.get("gloss_en") or ""
    id_max = Claim._meta.get_field("external_id").max_length
    if external_id is not None and (not isinstance(external_id, str) or len(external_id) > id_max):
        errors.append(f"line {line}: id must be a string of at most {id_max} characters")
    elif external_id is not None:
        errors += _problems(line, values.text_problem("id", external_id))
    if not isinstance(text, str) or not text.strip():
        errors.append(f"line {line}: text is missing or empty")
    else:
        errors += _problems(line, _claim_text_problem("text", text))
    if not isinstance(language, str):
        errors.append(
            f"line {line}: language {values.shown(language)} is not a code such as 'en' or 'ur'"
        )
    else:
        errors += _problems(line, values.language_problem("language", language))
    if not isinstance(status, str) or status not in Claim.Status.values:
        errors.append(
            f"line {line}: status {values.shown(status)} is not one of {Claim.Status.values}"
        )
    if not isinstance(gloss_en, str):
        errors.append(f"line {line}: gloss_en must be text, not {type(gloss_en).__name__}")
    else:
        errors += _problems(line, _claim_text_problem("gloss_en", gloss_en))
    variants, variant_errors = _variants(line, data.get("variants") or [])
    errors += variant_errors
    if errors:
        return None, errors
    return (
        ClaimRow(
            line=line,
            external_id=external_id,
            text=text.strip(),
            language=language,
            status=status,
            gloss_en=gloss_en,
            variants=variants,
        ),
        [],
    )


def _variants(line: int, raw: Any) -> tuple[list[tuple[str, str]], list[str]]:
    if not isinstance(raw, list):
        return [], [f"line {line}: variants must be a list"]
    variants, errors = [], []
    for n, variant in enumerate(raw, 1):
        v_text = variant.get("text") if isinstance(variant, dict) else None
        v_language = variant.get("language") if isinstance(variant, dict) else None
        if not isinstance(v_text, str) or not v_text.strip():
            errors.append(f"line {line}: variant {n} has no text")
            continue
        if not isinstance(v_language, str):
            errors.append(
                f"line {line}: variant {n} has language {values.shown(v_language)}, not a code"
            )
            continue
        problems = [
            _claim_text_problem(f"variant {n} text", v_text),
            values.language_problem(f"variant {n} language", v_language),
        ]
        size = len(v_text.strip().encode("utf-8"))
        if size > VARIANT_MAX_BYTES:
            problems.append(
                f"variant {n} text is {size:,} bytes in UTF-8, over the {VARIANT_MAX_BYTES:,} "
                "its database index holds"
            )
        if any(problems):
            errors += _problems(line, *problems)
        else:
            variants.append((v_language, v_text.strip()))
    return variants, errors


def _claim_text_problem(name: str, value: str) -> str | None:
    return values.text_problem(name, value.strip(), max_chars=settings.CLAIM_MAX_CHARS)


def _problems(line: int, *problems: str | None) -> list[str]:
    return [f"line {line}: {problem}" for problem in problems if problem]


def _records(content: str, file_format: str) -> list[tuple[int, Any]]:
    if file_format == "jsonl":
        records = []
        # Split on newlines only: splitlines() also breaks at U+2028 and other separators
        # that JSON strings may hold as they are.
        for line, raw in enumerate(content.split("\n"), 1):
            if not raw.strip():
                continue
            try:
                records.append((line, values.json_load(raw)))
            except values.ValueProblem as exc:
                records.append((line, str(exc)))
        return records
    values.csv_field_limit_raise(content)
    reader = csv.DictReader(io.StringIO(content, newline=""))
    records = []
    for row in _csv_rows(reader, records):
        # The line where the row ends: quoted fields may span lines.
        data: dict[str, Any] = {}
        variants = []
        for column, value in row.items():
            match = _VARIANT_COLUMN.match(column or "")
            if match:
                if value and value.strip():
                    variants.append({"language": match.group(1), "text": value})
            elif column is None:
                data["unexpected extra cells"] = value
            elif value not in (None, ""):
                data[column] = value
        data["variants"] = variants
        records.append((reader.line_num, data))
    return records


def _csv_rows(reader: csv.DictReader, records: list[tuple[int, Any]]) -> Iterator[dict]:
    """Yield each row; a row the csv module refuses is added to `records` as its error."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            records.append((reader.line_num, f"not valid CSV ({exc})"))


def claims_import(*, path: Path, strict: bool = False) -> ImportReport:
    """Import claims from `path` (.jsonl/.json or .csv).

    Every row is checked first; the good rows are then written in one transaction and each bad
    row is skipped, its problems listed in the report. With `strict`, one bad row refuses the
    file (ClaimImportError naming every problem) and nothing is written.
    """
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ClaimImportError(f"cannot read {path}: {exc}") from exc
    file_format = "csv" if path.suffix.lower() == ".csv" else "jsonl"
    rows: list[ClaimRow] = []
    errors: list[str] = []
    bad_lines: set[int] = set()
    seen: dict[str, int] = {}
    for line, data in _records(content, file_format):
        if isinstance(data, str):
            errors.append(f"line {line}: {data}")
            bad_lines.add(line)
            continue
        row, row_errors = _row(line, data)
        external_id = data.get("id") if isinstance(data, dict) else None
        if isinstance(external_id, str) and external_id:
            if external_id in seen:
                row_errors.append(
                    f"line {line}: id {external_id!r} already used on line {seen[external_id]}"
                )
            seen.setdefault(external_id, line)
        if row_errors:
            errors += row_errors
            bad_lines.add(line)
        elif row:
            rows.append(row)
    if errors and strict:
        raise ClaimImportError(f"{path}: " + "; ".join(errors))
    report = _write(rows)
    report.errors = errors
    report.skipped_lines = len(bad_lines)
    return report


@transaction.atomic
def _write(rows: list[ClaimRow]) -> ImportReport:
    report = ImportReport()
    existing = Claim.objects.in_bulk(
        [row.external_id for row in rows if row.external_id], field_name="external_id"
    )
    new = [
        (
            row,
            Claim(
                external_id=row.external_id,
                text=row.text,
                language=row.language,
                status=row.status,
                gloss_en=row.gloss_en,
            ),
        )
        for row in rows
        if row.external_id not in existing
    ]
    # bulk_create sends no signals: each row's history is written with it (no user: a command).
    bulk_create_with_history(
        [claim for _, claim in new], Claim, default_change_reason="import_claims"
    )
    report.claims_created = len(new)
    claims = [(row, existing[row.external_id]) for row in rows if row.external_id in existing]
    claims += new
    have = set(
        ClaimVariant.objects.filter(claim__in=[claim for _, claim in claims]).values_list(
            "claim_id", "language", "text"
        )
    )
    variants = []
    touched = {claim.pk for _, claim in new}
    for row, claim in claims:
        for language, text in dict.fromkeys(row.variants):
            if (claim.pk, language, text) not in have:
                variants.append(ClaimVariant(claim=claim, language=language, text=text))
                touched.add(claim.pk)
    bulk_create_with_history(variants, ClaimVariant, default_change_reason="import_claims")
    report.variants_created = len(variants)
    report.unchanged = len(claims) - len(touched)
    report.claim_ids = sorted(touched)
    # One UPDATE for the whole import, not one per claim.
    claims_search_owed(report.claim_ids)
    return report
