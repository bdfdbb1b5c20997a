"""Synthetic households and children of one real commune.

``stream(children, seed=..., commune_code=..., on=...)`` yields plain rows (dicts with
libchild's canonical field names) household by household, ready for the store's bulk
insert; ``generate`` gathers the same rows in lists. The same seed and reference date
always give the same rows.
"""

from __future__ import annotations

from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from itertools import accumulate
from random import Random
from typing import Any

from libchild import catalog
from libchild.gcpause import paused_gc
from libchild.text.fold import fold
from tui.demo import problems as problems_
from tui.demo.idnumbers import IdFactory
from tui.demo.names import make_name, style_for
from tui.demo.places import AreaProfile, profile_for, village_names

__all__ = [
    "DEFAULT_COMMUNE",
    "MAX_CHILDREN",
    "DemoData",
    "DemoHeader",
    "DemoStream",
    "HouseholdBatch",
    "UnknownCommuneError",
    "generate",
    "paused_gc",
    "stream",
]

DEFAULT_COMMUNE = "03808"  # Xã Mường La, Sơn La
MAX_CHILDREN = 300_000
PROBLEM_RATE = 0.10
_YEAR = 365.2425
_MAX_AGE_DAYS = int(18 * _YEAR) - 1

# Prefixes of birth registration that caregivers who moved in tend to carry.
_LOWLAND_PREFIXES = ("001", "030", "031", "034", "036", "037", "038", "040")


class UnknownCommuneError(ValueError):
    """The commune code is not in the catalogue of communes."""


@dataclass
class DemoHeader:
    """What a demo register is of: its commune, day, seed and villages."""

    commune_code: str
    commune_name: str
    province_code: str
    province_name: str
    on: date
    seed: int
    villages: list[str]


@dataclass
class DemoData(DemoHeader):
    """Everything the demo generator produced for one commune."""

    households: list[dict[str, Any]] = field(default_factory=list)
    caregivers: list[dict[str, Any]] = field(default_factory=list)
    children: list[dict[str, Any]] = field(default_factory=list)
    problems: dict[int, str] = field(default_factory=dict)  # child index -> kind
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (original, copy)


class _Picker:
    """Weighted choice by bisecting cumulative weights (faster than rng.choices)."""

    def __init__(self, items: tuple[tuple[Any, float], ...]) -> None:
        self.values = [value for value, _ in items]
        self.cum = list(accumulate(weight for _, weight in items))
        self.total = self.cum[-1]

    def pick(self, rng: Random) -> Any:
        return self.values[bisect(self.cum, rng.random() * self.total)]


def _schooling(rng: Random, years: int) -> str:
    r = rng.random()
    if years < 3:
        return "02" if r < 0.3 and years >= 1 else "01"
    if years < 6:
        return "03" if r < 0.92 else "01"
    if years < 11:
        return "04" if r < 0.97 else ("09" if r < 0.99 else "10")
    if years < 15:
        return "05" if r < 0.93 else ("08" if r < 0.98 else "04")
    if r < 0.65:
        return "06"
    if r < 0.77:
        return "07"
    return "08" if r < 0.97 else "99"


def _supports(rng: Random, birth: date, until: date, forms: tuple[str, ...]) -> list[dict]:
    start = max(birth, until - timedelta(days=3 * 365))
    span = max((until - start).days, 0)
    chosen = rng.sample(forms, rng.randint(1, min(3, len(forms))))
    return [
        {"form": form, "date": start + timedelta(days=rng.randint(0, span))}
        for form in sorted(chosen)
    ]


def _add_circumstances(
    rng: Random, child: dict[str, Any], years: int, poor: bool, orphan: bool, on: date
) -> None:
    """Fill circumstances, supports and death date consistently with DOMAIN.md §5."""
    circ: list[str] = []
    birth: date = child["birth_date"]
    if poor and rng.random() < 0.92:
        circ.append("NC02")
    if orphan:
        circ.append("DB01")
    x = rng.random()
    if x < 0.012:
        circ.append("DB04")
        if years >= 6 and rng.random() < 0.3:
            child["schooling"] = "10"
    elif x < 0.016:
        if 11 <= years < 16:
            circ.append("DB07")
            child["schooling"] = "08"
    elif x < 0.021:
        if poor:
            circ.append("DB14")
            if "NC02" not in circ:  # DB14 is for poor or near-poor households only
                circ.append("NC02")
    elif x < 0.0215:
        circ.append("DB05")
    elif x < 0.0225:
        circ.append("DB08")
    elif x < 0.024:
        if years >= 10:
            circ.append("DB11")
    elif x < 0.025:
        if years >= 12:
            circ.append("DB09")
    elif x < 0.034:
        if not orphan:
            circ.append("NC01")
    elif x < 0.037:
        circ.append("KH03")
    elif x < 0.0373 and years >= 1:
        circ.append("KH02")
        child["death_date"] = birth + timedelta(days=rng.randint(30, (on - birth).days))
    supports: list[dict] = []
    until = child["death_date"] or on
    if any(code.startswith("DB") for code in circ):
        if rng.random() < 0.85:
            supports = _supports(rng, birth, until, ("TG01", "TG02", "TG03", "TG04", "TG05"))
    elif "NC02" in circ and rng.random() < 0.12:
        supports = _supports(rng, birth, until, ("TG04", "TG05"))
    child["circumstances"] = circ
    child["supports"] = supports


def _village_ethnicities(
    rng: Random, villages: list[str], profile: AreaProfile
) -> list[str | None]:
    """Return the main ethnicity of each village (None for a mixed town quarter).

    Villages of the mountains are mostly of one group; they are shared out among the
    non-Kinh groups in proportion to their weight (largest remainder), and Kinh
    families live mostly in the town quarters and as a share of every village.
    """
    rural = [i for i, v in enumerate(villages) if not v.startswith(("Tiểu khu", "Tổ dân phố"))]
    groups = [(c, w) for c, w in profile.ethnicities if c != "01"] or list(profile.ethnicities)
    if not profile.mountain:
        groups = list(profile.ethnicities)
    total = sum(w for _, w in groups)
    quotas = [(c, len(rural) * w / total) for c, w in groups]
    counts = {c: int(q) for c, q in quotas}
    spare = len(rural) - sum(counts.values())
    for c, _q in sorted(quotas, key=lambda cq: cq[1] - int(cq[1]), reverse=True)[:spare]:
        counts[c] += 1
    labels = [c for c, n in counts.items() for _ in range(n)]
    rng.shuffle(labels)
    result: list[str | None] = [None] * len(villages)
    for i, code in zip(rural, labels, strict=True):
        result[i] = code
    return result


def _duplicate(rng: Random, original: dict[str, Any]) -> dict[str, Any]:
    """Return a second entry of the same child, as typed again by someone else."""
    copy = dict(original)
    copy["circumstances"] = list(original["circumstances"])
    copy["supports"] = [dict(s) for s in original["supports"]]
    variant = rng.randrange(3)
    if variant == 1:  # typed without diacritics, no ID yet
        copy["full_name"] = fold(original["full_name"]).title()
        copy["personal_id"] = ""
    elif variant == 2:  # one letter of the given name mistyped
        name = original["full_name"]
        last = name.rfind(" ") + 1
        pos = rng.randrange(last + 1, len(name)) if len(name) - last > 1 else last
        letter = "nmhtlc"[rng.randrange(6)]
        if name[pos].lower() == letter:
            letter = "g"
        copy["full_name"] = name[:pos] + letter + name[pos + 1 :]
    return copy


@dataclass
class HouseholdBatch:
    """One household as generated: its row, its caregivers and its children (the last
    batch of a stream has no household: it holds the planted duplicate entries, which
    belong to households given before)."""

    household: dict[str, Any] | None
    caregivers: list[dict[str, Any]]
    children: list[dict[str, Any]]


@dataclass
class DemoStream(DemoHeader):
    """A demo register generated household by household (iterate once).

    The positions of the planted problems and duplicates are drawn from the seed before
    the first household, so nothing needs the whole register in memory: ``problems``
    and ``duplicates`` fill in as the batches go by (indexes count the children in the
    order they are yielded).
    """

    batches: Iterator[HouseholdBatch]
    size: int = 0  # children it yields in all
    problems: dict[int, str] = field(default_factory=dict)  # child index -> kind
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (original, copy)

    def __iter__(self) -> Iterator[HouseholdBatch]:
        return self.batches


def generate(
    children: int = 2000,
    *,
    seed: int = 1,
    commune_code: str = DEFAULT_COMMUNE,
    on: date | None = None,
) -> DemoData:
    """Generate ``children`` synthetic children in households of ``commune_code``.

    Birth dates spread over 0-17 years before ``on`` (default today); about 10% of the
    children carry one step-3 problem (listed in ``DemoData.problems``), some are in
    special circumstances with supports, and a few are planted duplicates (listed in
    ``DemoData.duplicates``). Raises ``UnknownCommuneError`` for a code not in the
    catalogue and ``ValueError`` for a count outside 0..MAX_CHILDREN.

    The rows are those of :func:`stream` with the same arguments, gathered in lists.
    """
    with paused_gc():
        found = stream(children, seed=seed, commune_code=commune_code, on=on)
        header = {f.name: getattr(found, f.name) for f in fields(DemoHeader)}
        data = DemoData(**header, problems=found.problems, duplicates=found.duplicates)
        for batch in found:
            if batch.household is not None:
                data.households.append(batch.household)
            data.caregivers.extend(batch.caregivers)
            data.children.extend(batch.children)
    return data


def stream(
    children: int = 2000,
    *,
    seed: int = 1,
    commune_code: str = DEFAULT_COMMUNE,
    on: date | None = None,
) -> DemoStream:
    """The register of :func:`generate`, household by household, for a loader that
    stores each batch as it comes (the memory held does not grow with ``children``).
    Raises as :func:`generate` does, at once."""
    if not 0 <= children <= MAX_CHILDREN:
        raise ValueError(f"children must be between 0 and {MAX_CHILDREN}")
    cats = catalog.load()
    commune = cats.communes.get(commune_code)
    if commune is None or commune.parent is None:
        raise UnknownCommuneError(commune_code)
    province = cats.provinces.get(commune.parent)
    province_name = province.name if province else commune.parent
    on = on or date.today()
    rng = Random(seed)
    profile: AreaProfile = profile_for(commune.code, commune.parent)

    n_dup = min(max(3, children // 1000), children // 10) if children >= 30 else 0
    n_base = children - n_dup
    n_households = max(1, round(n_base / 2.05))
    n_villages = min(40, max(6, round(n_households / 40)))
    villages = village_names(
        rng, n_villages, kind=commune.kind, province_code=commune.parent,
        mountain=profile.mountain,
    )
    out = DemoStream(
        commune_code=commune.code, commune_name=commune.name,
        province_code=commune.parent, province_name=province_name,
        on=on, seed=seed, villages=villages, batches=iter(()), size=children,
    )
    # The planted problems and duplicates have a generator of their own, seeded from the
    # main one, so that they can be drawn before the households.
    plan = Random(rng.getrandbits(64))
    problem_at = set(plan.sample(range(n_base), round(PROBLEM_RATE * n_base)))
    originals: set[int] = set()
    while len(originals) < min(n_dup, n_base - len(problem_at)):
        index = plan.randrange(n_base)
        if index not in problem_at:
            originals.add(index)
    out.batches = _households(out, rng, plan, commune, profile, cats, n_base, problem_at,
                              originals)
    return out


def _households(out: DemoStream, rng: Random, plan: Random, commune: Any,
                profile: AreaProfile, cats: Any, n_base: int, problem_at: set[int],
                originals: set[int]) -> Iterator[HouseholdBatch]:
    on = out.on
    villages = out.villages
    n_villages = len(villages)
    province_name = out.province_name
    home_prefixes = sorted(e.code for e in cats.id_prefixes if e.parent == commune.parent)
    home_prefix = rng.choice(home_prefixes) if home_prefixes else "001"
    ids = IdFactory(rng)

    mix = _Picker(profile.ethnicities)
    town_mix = _Picker(tuple((c, w * (6.0 if c == "01" else 1.0)) for c, w in profile.ethnicities))
    dominant = _village_ethnicities(rng, villages, profile)
    village_pick = _Picker(tuple((i, 0.5 + rng.random()) for i in range(n_villages)))
    sizes = _Picker(((1, 35.0), (2, 35.0), (3, 20.0), (4, 10.0)))
    house_no = [0] * n_villages
    addresses = [f"{v}, {commune.name}, {province_name}" for v in villages]
    problems = out.problems
    copies: list[dict[str, Any]] = []
    rand = rng.random

    def randint(low: int, high: int) -> int:
        return low + int(rand() * (high - low + 1))

    commune_code_ = commune.code
    province_code_ = commune.parent
    caregivers: list[dict[str, Any]] = []

    def person(hid: int, relation: str, name: str, sex: str, year: int, prefix: str) -> str:
        number = ids.issue(prefix, sex, year)
        caregivers.append({
            "household_id": hid, "relation": relation, "full_name": name, "sex": sex,
            "birth_year": year, "personal_id": number,
        })
        return number

    def adult_prefix(eth: str) -> str:
        if rand() < 0.9:
            return home_prefix
        return _LOWLAND_PREFIXES[randint(0, 7)] if eth == "01" else home_prefix

    made = 0
    hid = 0
    while made < n_base:
        hid += 1
        caregivers = []
        v = village_pick.pick(rng)
        house_no[v] += 1
        dom = dominant[v]
        eth = dom if dom is not None and rand() < 0.8 else town_mix.pick(rng)
        r = rand()
        poverty = ("poor" if r < profile.poor_rate
                   else "near_poor" if r < profile.poor_rate + profile.near_poor_rate
                   else "none")
        household = {
            "id": hid, "book_number": f"{v + 1:02d}-{house_no[v]:04d}",
            "village": villages[v], "address": f"Số nhà {house_no[v]}, {addresses[v]}",
            "poverty": poverty,
        }

        k = min(sizes.pick(rng), n_base - made)
        span = (k - 1) * 600
        eldest = randint(span, _MAX_AGE_DAYS)
        if eldest >= 16 * 365 and rand() < 0.6:  # fewer households with 16-17-year-olds
            eldest = randint(span, _MAX_AGE_DAYS)
        ages = [eldest]
        for _ in range(k - 1):
            ages.append(ages[-1] - randint(450, 1500))
        ages = [a for a in ages if a >= 0] or [randint(0, 365)]
        eldest_year = (on - timedelta(days=ages[0])).year

        style = style_for(eth)
        mother_eth = eth if rand() < 0.9 else mix.pick(rng)
        mother_year = eldest_year - randint(18, 32)
        father_year = mother_year - randint(-1, 7)
        father_family = style.families[int(rand() * len(style.families))]
        father = make_name(rng, style, "1", father_family)
        mother = make_name(rng, style_for(mother_eth), "2")
        shape = rand()
        father_id = person(hid, "father", father, "1", father_year, adult_prefix(eth))
        mother_id = person(hid, "mother", mother, "2", mother_year, adult_prefix(mother_eth))
        orphan = False
        if shape < 0.88:  # both parents
            carer, carer_id = (mother, mother_id) if rand() < 0.6 else (father, father_id)
        elif shape < 0.94:  # mother alone
            father, carer, carer_id = "", mother, mother_id
            caregivers.pop(-2)
            father_family = mother.split(" ", 1)[0]
        elif shape < 0.97:  # father alone
            mother, carer, carer_id = "", father, father_id
            caregivers.pop()
        else:  # grandparents bring the children up
            g_sex = "2" if rand() < 0.6 else "1"
            g_year = father_year - randint(20, 30)
            carer = make_name(rng, style, g_sex, None if g_sex == "2" else father_family)
            carer_id = person(hid, "guardian", carer, g_sex, g_year, home_prefix)
            orphan = rand() < 0.15

        poor = poverty != "none"
        sibling_names: set[str] = set()
        kids: list[dict[str, Any]] = []
        for age_days in ages:
            birth = on - timedelta(days=age_days)
            years = int(age_days / _YEAR)
            sex = "1" if rand() < 0.515 else "2"
            child_eth = eth if rand() < 0.97 else mother_eth
            child_style = style_for(child_eth)
            family = father_family if child_eth == eth else None
            name = make_name(rng, child_style, sex, family, modern=True)
            for _ in range(5):  # siblings never share a name, even without diacritics
                if fold(name) not in sibling_names:
                    break
                name = make_name(rng, child_style, sex, family, modern=True)
            sibling_names.add(fold(name))
            child = {
                "household_id": hid,
                "personal_id": ids.issue(home_prefix, sex, birth.year),
                "full_name": name,
                "sex": sex,
                "birth_date": birth,
                "ethnicity": child_eth,
                "nationality": "VN",
                "current_address": addresses[v],
                "address_detail": f"Số nhà {house_no[v]}",
                "schooling": _schooling(rng, years),
                "village": villages[v],
                "commune_code": commune_code_,
                "province_code": province_code_,
                "caregiver_id": carer_id,
                "father_name": father,
                "mother_name": mother,
                "caregiver_name": carer,
                "death_date": None,
            }
            _add_circumstances(rng, child, years, poor, orphan, on)
            if made in problem_at:
                problems[made] = problems_.plant(plan, child, on)
            elif made in originals:
                out.duplicates.append((made, n_base + len(copies)))
                copies.append(_duplicate(plan, child))
            kids.append(child)
            made += 1
        yield HouseholdBatch(household, caregivers, kids)
    if copies:
        yield HouseholdBatch(None, [], copies)
