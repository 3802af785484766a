"""Summary figures of measurements (timings, scores), one definition for every measurement."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], q: int) -> float:
    """The q-th percentile (1 to 99), interpolated between the two nearest samples."""
    if not 1 <= q <= 99:
        raise ValueError(f"percentile {q} is not between 1 and 99")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def ratio(part: int, whole: int, *, when_empty: float) -> float:
    """`part / whole`, or `when_empty` when there is nothing to divide by."""
    return part / whole if whole else when_empty
