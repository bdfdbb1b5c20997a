"""Synthetic 12-digit personal ID numbers with the issued structure.

Digits 1-3 are the province of birth registration, digit 4 the century and sex
(0/1 for 1900s male/female, 2/3 for 2000s), digits 5-6 the birth year, 7-12 a serial
(TT 07/2016/TT-BCA, see DOMAIN.md §4). The serial of each (prefix, century/sex, year)
group walks a fixed permutation of 000000-999999, so numbers never repeat within a
demo and the same seed gives the same numbers.
"""

from __future__ import annotations

from random import Random

__all__ = ["IdFactory", "century_sex_digit"]

# Any multiplier coprime with 10**6 makes ``k * _STEP % 10**6`` a permutation.
_STEP = 379_721
_SERIALS = 1_000_000


def century_sex_digit(sex: str, year: int) -> int:
    """Return the 4th digit for a person of ``sex`` ("1"/"2") born in ``year``."""
    return (year // 100 - 19) * 2 + (1 if sex == "2" else 0)


class IdFactory:
    """Issue distinct synthetic ID numbers, deterministically for one seed."""

    def __init__(self, rng: Random) -> None:
        self._rng = rng
        self._next: dict[str, int] = {}
        self._offset: dict[str, int] = {}

    def issue(self, prefix: str, sex: str, year: int) -> str:
        """Return a new number for a person of ``sex`` born in ``year`` registered in
        the province whose 3-digit ID prefix is ``prefix``."""
        head = f"{prefix}{century_sex_digit(sex, year)}{year % 100:02d}"
        k = self._next.get(head)
        if k is None:
            k = 0
            self._offset[head] = self._rng.randrange(_SERIALS)
        if k >= _SERIALS:  # pragma: no cover - a million births in one year and province
            raise ValueError(f"ID serials exhausted for {head}")
        self._next[head] = k + 1
        serial = (k * _STEP + self._offset[head]) % _SERIALS
        return f"{head}{serial:06d}"
