"""Import claims from JSON Lines or CSV: validate every row, then write in one transaction.

JSON Lines, one claim a line:
    {"id": "C1", "text": "...", "language": "en", "status": "unverified",
     "gloss_en": "...", "variants": [{"language": "ur", "text": "..."}]}
CSV with a header row: id, text, language, status, gloss_en, and one `variant_<language>`
column per variant language (e.g. `variant_ur`). Only `text` and `language` are required.

`id` is the claim's external id: a claim already imported under it is left as it is, and only
variants it lacks are added, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from claims.models import Claim, ClaimVariant
from claims.services.queueing import claim_search_queue
from sources.models import LANGUAGE_CODE_RE

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

    def __str__(self) -> str:
        return (
            f"{self.claims_created} claims and {self.variants_created} variants created, "
            f"{self.unchanged} claims already up to date"
        )


def _row(line: int, data: Any) -> tuple[ClaimRow | None, list[str]]:
    if not isinstance(data, dict):
        return None, [f"line {line}: expected an object, got {type(data).__name__}"]
    errors = [f"line {line}: unknown field {name!r}" for name in sorted(set(data) - _FIELDS)]
    external_id = data.get("id") or None
    text = data.get("text")
    language = data.get("language")
    status = data.get("status") or Claim.Status.UNVERIFIED
    if external_id is not None and (not isinstance(external_id, str) or len(external_id) > 100):
        errors.append(f"line {line}: id must be a string of at most 100 characters")
    if not isinstance(text, str) or not text.strip():
        errors.append(f"line {line}: text is missing or empty")
    if not isinstance(language, str) or not re.match(LANGUAGE_CODE_RE, language):
        errors.append(f"line {line}: language {language!r} is not a code such as 'en' or 'ur'")
    if status not in Claim.Status.values:
        errors.append(f"line {line}: status {status!r} is not one of {Claim.Status.values}")
    variants = []
    raw_variants = data.get("variants") or []
    if not isinstance(raw_variants, list):
        errors.append(f"line {line}: variants must be a list")
        raw_variants = []
    for n, variant in enumerate(raw_variants, 1):
        v_text = variant.get("text") if isinstance(variant, dict) else None
        v_language = variant.get("language") if isinstance(variant, dict) else None
        if not isinstance(v_text, str) or not v_text.strip():
            errors.append(f"line {line}: variant {n} has no text")
        elif not isinstance(v_language, str) or not re.match(LANGUAGE_CODE_RE, v_language):
            errors.append(f"line {line}: variant {n} has language {v_language!r}, not a code")
        else:
            variants.append((v_language, v_text.strip()))
    if errors:
        return None, errors
    return (
        ClaimRow(
            line=line,
            external_id=external_id,
            text=text.strip(),
            language=language,
            status=status,
            gloss_en=str(data.get("gloss_en") or ""),
            variants=variants,
        ),
        [],
    )


def _records(content: str, file_format: str) -> list[tuple[int, Any]]:
    if file_format == "jsonl":
        records = []
        for line, raw in enumerate(content.splitlines(), 1):
            if not raw.strip():
                continue
            try:
                records.append((line, json.loads(raw)))
            except json.JSONDecodeError as exc:
                records.append((line, f"not JSON: {exc.msg}"))
        return records
    reader = csv.DictReader(io.StringIO(content))
    records = []
    for row in reader:
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


def claims_import(*, path: Path) -> ImportReport:
    """Import claims from `path` (.jsonl/.json or .csv); nothing is written if a row is bad."""
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ClaimImportError(f"cannot read {path}: {exc}") from exc
    file_format = "csv" if path.suffix.lower() == ".csv" else "jsonl"
    rows: list[ClaimRow] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for line, data in _records(content, file_format):
        if isinstance(data, str):
            errors.append(f"line {line}: {data}")
            continue
        row, row_errors = _row(line, data)
        errors += row_errors
        external_id = data.get("id") if isinstance(data, dict) else None
        if isinstance(external_id, str) and external_id:
            if external_id in seen:
                errors.append(
                    f"line {line}: id {external_id!r} already used on line {seen[external_id]}"
                )
            seen.setdefault(external_id, line)
        if row:
            rows.append(row)
    if errors:
        raise ClaimImportError(f"{path}: " + "; ".join(errors))
    return _write(rows)


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
    for claim_id in report.claim_ids:
        claim_search_queue(claim_id=claim_id)
    return report
