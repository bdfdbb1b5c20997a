"""Synthetic child facts for the report benchmarks (all data invented).

Children under 16 spread over ``villages`` villages, about 5% in special
circumstances (dated episodes, some ended), 8% at risk, 1% injured, a few deaths,
supports for most children in special circumstances, 90% with a personal ID number
(70% verified). The shape follows the demo generator's proportions, not real data.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from libchild.indicators import Area, ChildFacts, Episode, SupportGiven

ON = date(2026, 6, 30)
SPECIAL = ["DB01", "DB02", "DB03", "DB04", "DB04", "DB04", "DB05", "DB07", "DB08", "DB11",
           "DB12", "DB14"]


def make_facts(n: int, villages: int = 40, seed: int = 7, on: date = ON) -> list[ChildFacts]:
    """Return ``n`` synthetic children's facts as of ``on``."""
    rng = random.Random(seed)
    names = [f"Bản {k + 1:02d}" for k in range(villages)]
    out = []
    for _ in range(n):
        birth = on - timedelta(days=rng.randrange(0, 17 * 365))
        episodes: list[Episode] = []
        supports: list[SupportGiven] = []
        roll = rng.random()
        if roll < 0.05:
            start = birth + timedelta(days=rng.randrange(0, max(1, (on - birth).days + 200)))
            end = start + timedelta(days=rng.randrange(30, 900)) if rng.random() < 0.2 else None
            episodes.append(Episode(rng.choice(SPECIAL), start, end))
            for _ in range(rng.randrange(0, 3)):
                supports.append(SupportGiven(rng.choice(["TG01", "TG02", "TG03", "TG04", "TG05"]),
                                             on - timedelta(days=rng.randrange(0, 1200))))
        elif roll < 0.13:
            episodes.append(Episode(rng.choice(["NC01", "NC02"]),
                                    on - timedelta(days=rng.randrange(0, 2000))))
        elif roll < 0.14:
            day = on - timedelta(days=rng.randrange(0, 900))
            episodes.append(Episode("KH03", day, day + timedelta(days=20)))
        death = None
        if rng.random() < 0.001:
            death = on - timedelta(days=rng.randrange(0, 900))
            episodes.append(Episode("KH02", death))
        has_id = rng.random() < 0.9
        out.append(ChildFacts(
            birth, sex=rng.choice("12"), ethnicity=rng.choice(["01", "03", "08", "09"]),
            village=rng.choice(names), has_personal_id=has_id,
            id_verified=has_id and rng.random() < 0.7, death_date=death,
            episodes=tuple(episodes), supports=tuple(supports)))
    return out


def area(code: str = "03808", name: str = "Xã Mường La", villages: int = 40) -> Area:
    """The synthetic commune."""
    return Area(code, name, "14", tuple(f"Bản {k + 1:02d}" for k in range(villages)))
