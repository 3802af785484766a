"""One percentile for every measurement: interpolated between the two nearest samples."""

from __future__ import annotations

import pytest

from measurement.stats import percentile


def test_the_95th_percentile_lies_between_the_two_nearest_samples() -> None:
    assert percentile([float(n) for n in range(1, 101)], 95) == pytest.approx(95.05)
    assert percentile([0.020, 0.010, 0.040, 0.030], 50) == pytest.approx(0.025)


def test_one_sample_is_its_own_percentile() -> None:
    assert percentile([0.25], 95) == 0.25


def test_a_percentile_outside_1_to_99_is_refused() -> None:
    with pytest.raises(ValueError, match="percentile 100 is not between 1 and 99"):
        percentile([1.0, 2.0], 100)
