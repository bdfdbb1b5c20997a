"""Where the synthetic households live: villages, ethnic mix and poverty by area.

Figures are rough shapes for a plausible demo, not statistics: the north-western
mountain provinces (Sơn La, Điện Biên, Lai Châu, Lào Cai) are mostly Thái and HMông
with high poverty; other provinces are mostly Kinh.
"""

from __future__ import annotations

from random import Random
from typing import NamedTuple

__all__ = ["AreaProfile", "profile_for", "village_names"]


class AreaProfile(NamedTuple):
    """Ethnic mix, poverty rates and village naming of one area."""

    ethnicities: tuple[tuple[str, float], ...]  # (code, weight)
    poor_rate: float
    near_poor_rate: float
    mountain: bool  # villages are "Bản ..." (else "Thôn ...")


# Xã Mường La (Sơn La): mostly Thái, then Kinh, HMông, Khơ-mú, Kháng, Dao.
_MUONG_LA = AreaProfile(
    ethnicities=(
        ("03", 64.0), ("01", 13.0), ("08", 12.0), ("29", 4.0), ("33", 3.0),
        ("09", 2.0), ("39", 1.0), ("06", 1.0),
    ),
    poor_rate=0.18,
    near_poor_rate=0.12,
    mountain=True,
)

_NORTH_WEST = AreaProfile(
    ethnicities=(
        ("03", 50.0), ("08", 20.0), ("01", 16.0), ("06", 5.0), ("09", 3.0),
        ("29", 2.0), ("33", 1.0), ("07", 1.0), ("02", 2.0),
    ),
    poor_rate=0.16,
    near_poor_rate=0.10,
    mountain=True,
)

_NORTH_EAST = AreaProfile(
    ethnicities=(("02", 35.0), ("07", 20.0), ("01", 25.0), ("09", 10.0), ("08", 8.0),
                 ("25", 2.0)),
    poor_rate=0.10,
    near_poor_rate=0.08,
    mountain=True,
)

_LOWLAND = AreaProfile(
    ethnicities=(("01", 96.0), ("06", 1.0), ("02", 1.0), ("04", 1.0), ("05", 1.0)),
    poor_rate=0.03,
    near_poor_rate=0.04,
    mountain=False,
)

_PROVINCE_PROFILES = {
    "11": _NORTH_WEST,  # Điện Biên
    "12": _NORTH_WEST,  # Lai Châu
    "14": _NORTH_WEST,  # Sơn La
    "15": _NORTH_WEST,  # Lào Cai
    "04": _NORTH_EAST,  # Cao Bằng
    "08": _NORTH_EAST,  # Tuyên Quang
    "19": _NORTH_EAST,  # Thái Nguyên
    "20": _NORTH_EAST,  # Lạng Sơn
}

_COMMUNE_PROFILES = {"03808": _MUONG_LA}


def profile_for(commune_code: str, province_code: str) -> AreaProfile:
    """Return the area profile of a commune (its own, its province's, or lowland)."""
    return _COMMUNE_PROFILES.get(
        commune_code, _PROVINCE_PROFILES.get(province_code, _LOWLAND)
    )


# Thái place-name syllables: "Nà" rice field, "Huổi" stream, "Phiêng" flat land,
# "Pá" forest, "Co" tree, "Nong" pond, "Pom" hill, "Nậm" water, "Bó" spring, ...
_BAN_HEADS = (
    "Nà", "Huổi", "Phiêng", "Pá", "Co", "Nong", "Pom", "Hua", "Nậm", "Bó", "Tà", "Pú",
    "Khau", "Púng", "Ít", "Noong",
)
_BAN_TAILS = (
    "Tòng", "Lẹ", "Khoang", "Mòn", "Ngùa", "Ái", "Bua", "Uôn", "Páu", "Lốm", "Sẳng", "Nọi",
    "Luông", "Cại", "Đin", "Pục", "Hốc", "Mạ", "Chản", "Kham", "Lay", "Hịn", "Ún", "Pặt",
    "Xanh", "Phày", "Lạn", "Chiến",
)
_THON_NAMES = (
    "Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Tân Lập", "Tân Sơn", "An Bình",
    "Phú Lợi", "Hòa Bình", "Đồng Tâm", "Quyết Tiến", "Thắng Lợi", "Đoàn Kết", "Tiền Phong",
    "Hưng Thịnh", "Xuân Hòa", "Phú Thọ", "Yên Phú", "Minh Khai", "Đồng Xuân", "Tân Thành",
)


def village_names(
    rng: Random, count: int, *, kind: str | None, province_code: str, mountain: bool
) -> list[str]:
    """Return ``count`` distinct, plausible village names for a commune.

    Wards (phường) have "Tiểu khu N" in Sơn La and "Tổ dân phố N" elsewhere; mountain
    communes have "Bản ..." built from Thái place-name syllables, with a few tiểu khu
    around the commune centre; other communes have "Thôn ...".
    """
    if kind == "phường":
        label = "Tiểu khu" if province_code == "14" else "Tổ dân phố"
        return [f"{label} {i}" for i in range(1, count + 1)]
    names: list[str] = []
    if mountain:
        centre = max(1, count // 8) if province_code == "14" else 0
        names.extend(f"Tiểu khu {i}" for i in range(1, centre + 1))
        pairs = [(h, t) for h in _BAN_HEADS for t in _BAN_TAILS]
        rng.shuffle(pairs)
        names.extend(f"Bản {h} {t}" for h, t in pairs[: count - centre])
    else:
        pool = list(_THON_NAMES)
        rng.shuffle(pool)
        names.extend(f"Thôn {n}" for n in pool[:count])
        names.extend(f"Thôn {i}" for i in range(1, count - len(names) + 1))
    return names[:count]
