"""Rates with their evidence: numerator, denominator, a 95 % Wilson interval, and whether the
sample is large enough to be shown as a percentage at all."""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (Wilson 1927); (0, 1) when n is 0."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int
    min_sample: int

    @property
    def sufficient(self) -> bool:
        return self.denominator >= max(self.min_sample, 1)

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.numerator, self.denominator)

    @property
    def low(self) -> float:
        return self.interval[0]

    @property
    def high(self) -> float:
        return self.interval[1]

    @property
    def percent(self) -> float | None:
        """The rate in per cent, rounded to one decimal; None when the sample is too small."""
        if not self.sufficient or self.value is None:
            return None
        return round(self.value * 100, 1)


@dataclass(frozen=True)
class Score:
    """A score out of 100 (weighted satisfaction, composite) with the settings version."""

    value: float | None
    version: int
    basis: int  # how many cases or ratings it rests on

    @property
    def shown(self) -> float | None:
        return None if self.value is None else round(self.value, 1)
