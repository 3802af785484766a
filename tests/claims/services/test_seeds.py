from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db.models import QuerySet

from claims.models import Claim, ClaimLink, Speaker, Stance, Statement
from claims.services.seeds import DEFAULT_SEED_FILE, SeedError, seeds_load
from sources.models import Article
from sources.text import normalise

pytestmark = pytest.mark.django_db

TERRITORY_CLAIM = "seed-azerbaijan-territory-attack-iran"


def test_loading_twice_changes_nothing(seeded) -> None:
    counts = [Article.objects.count(), Statement.objects.count(), ClaimLink.objects.count()]
    again = seeds_load()
    assert not again.created
    assert [Article.objects.count(), Statement.objects.count(), ClaimLink.objects.count()] == counts


def test_mustafayev_denies_the_territory_claim(seeded) -> None:
    claim = Claim.objects.get(external_id=TERRITORY_CLAIM)
    denial = claim.links.get(statement__text__contains="اجازت کبھی نہیں دے گا")
    assert denial.stance == Stance.DENIES
    assert denial.statement.speaker.name == "Shahin Mustafayev"
    assert claim.variants.filter(language="ur").exists()


def test_every_statement_is_the_article_text_at_its_offsets(seeded) -> None:
    for statement in Statement.objects.select_related("article"):
        assert statement.article.body[statement.start : statement.end] == statement.text


def test_he_said_is_attributed_to_the_last_named_speaker(seeded) -> None:
    # "انہوں نے کہا" after Mustafayev's first words is Mustafayev, though Pezeshkian and
    # Aliyev are named later in the same sentence.
    statement = Statement.objects.get(text__startswith="ہم اس قیمتی موقع")
    assert statement.speaker.name == "Shahin Mustafayev"
    ill_wishers = Statement.objects.get(text__startswith="بدخواہوں")
    assert ill_wishers.speaker.name == "Masoud Pezeshkian"


def _speakers_named(name: str) -> QuerySet[Speaker]:
    """Speakers with an alias spelled like `name` in any variant of its script."""
    return Speaker.objects.filter(aliases__key=normalise(name)).distinct()


def test_speakers_are_found_by_urdu_and_latin_aliases(seeded) -> None:
    assert list(_speakers_named("پزشکیان")) == [Speaker.objects.get(name="Masoud Pezeshkian")]
    assert list(_speakers_named("shahin mustafayev")) == [
        Speaker.objects.get(name="Shahin Mustafayev")
    ]
    # Arabic spelling with Arabic yeh and kaf still finds the Urdu-spelled alias.
    assert _speakers_named("مصطفياف").get().name == "Shahin Mustafayev"


def _write_seed(tmp_path: Path, mutate) -> Path:
    data = json.loads(DEFAULT_SEED_FILE.read_text(encoding="utf-8"))
    mutate(data)
    (tmp_path / data["articles"][0]["file"]).write_text(
        (DEFAULT_SEED_FILE.parent / data["articles"][0]["file"]).read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_wrong_offset_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    def shift(data):
        data["articles"][0]["statements"][-1]["start"] += 1

    with pytest.raises(SeedError, match="mustafayev-rumours-false"):
        seeds_load(path=_write_seed(tmp_path, shift))
    assert not Article.objects.exists()
    assert not Speaker.objects.exists()


def test_an_unknown_stance_is_named(tmp_path: Path) -> None:
    def bad_stance(data):
        data["claims"][0]["links"][0][1] = "refutes"

    with pytest.raises(SeedError, match="refutes"):
        seeds_load(path=_write_seed(tmp_path, bad_stance))
    assert not Claim.objects.exists()
