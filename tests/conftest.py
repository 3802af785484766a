from __future__ import annotations

import pytest

from claims.services.seeds import seeds_load


@pytest.fixture
def seeded(db):
    """The seed story, loaded as `make run` loads it."""
    return seeds_load()
