"""Benchmark: ``libchild.validate`` on typical synthetic records (issues 2 and 15).

Generates N synthetic records (all data invented; ID numbers follow the TT 07/2016
structure with random digits): children of Sơn La communes with plausible names, codes
as a register stores them, dates as typed (dd/mm/yyyy), some in special circumstances
with supports, and about 10% with one problem of the step 3 kind. Prints records per
second, the median of several runs, by wall clock and by CPU time (the CPU-time figure
is the one core's throughput even when other processes share the machine).

``--distinct`` makes every name of every record distinct (child, father, mother; also
across runs: each run gets freshly generated records), so no memo cache of names can
help: the figure of a register being imported for the first time. ``--plain`` also
times, on the same records and interleaved run by run, a plain loop written with the
public helpers only (catalogue code sets, ``parse_date`` memoised per text,
``cccd.structure_warnings``, ``name_error`` on each name): what a caller of the
library would write without the rule engine.

    .venv/bin/python benchmarks/bench_validate.py [--records 200000] [--runs 5] [--child]
                                                  [--clean] [--distinct] [--plain]
                                                  [--profile] [--root CHECKOUT]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

ON = date(2025, 9, 1)
SURNAMES = ["Lò", "Quàng", "Cầm", "Lường", "Giàng", "Sùng", "Mùa", "Nguyễn", "Trần", "Hà",
            "Vì", "Đinh", "Lê", "Phạm", "Hoàng", "Tòng", "Điêu", "Lù", "Thào", "Vàng"]
MIDDLE_M = ["Văn", "A", "Đức", "Minh", "Xuân", "Công"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Hồng", "Thị Thu"]
GIVEN = ["Páo", "Sử", "An", "Bình", "Chiến", "Dũng", "Hùng", "Khánh", "Long", "Nam", "Phong",
         "Quân", "Sơn", "Tuấn", "Vinh", "Mai", "Lan", "Hoa", "Hương", "Linh", "Nga", "Phương",
         "Thảo", "Trang", "Xuân", "Dua", "Chư", "Mỷ", "Pằng", "Sua", "Dế", "Nhìa", "Lử"]
ETHNIC = ["03", "03", "03", "08", "08", "01", "01", "09", "06", "HMông", "Thái", "Kinh"]
PROBLEMS = [
    ("personal_id", None), ("personal_id", "01421800123"), ("full_name", "Lò Văn 2"),
    ("birth_date", "31/02/2018"), ("sex", "X"), ("ethnicity", None), ("father_name", None),
    ("commune_code", "00004"), ("schooling", "06"), ("birth_date", "01/01/2030"),
]


# Second given names for --distinct: with SURNAMES, the middle names and GIVEN they make
# far more distinct names than any run needs.
GIVEN2 = sorted({
    *GIVEN,
    "Ánh", "Bảo", "Châu", "Diệp", "Đông", "Gia", "Hà", "Hải", "Hiền", "Hoàng", "Huyền",
    "Khôi", "Kiên", "Lâm", "Lộc", "Minh", "Ngân", "Ngọc", "Nhật", "Phúc", "Quang", "Quỳnh",
    "Tâm", "Thanh", "Thu", "Thủy", "Tiến", "Trí", "Trung", "Tú", "Uyên", "Việt", "Yến",
    "Cường", "Đạt", "Hiếu", "Khoa", "Luân", "Nghĩa", "Sang", "Thắng", "Toàn", "Vũ", "Xiêm",
    "Pọm", "Ỏn", "Lả", "Piêng", "Xôm", "Khằm", "Panh", "Dình", "Sếnh", "Tủa", "Vừ", "Chá",
    "Bích", "Cúc", "Dung", "Duyên", "Đào", "Hạnh", "Hằng", "Huệ", "Khuê", "Liên",
    "Loan", "Lụa", "My", "Nhàn", "Nhung", "Oanh", "Quyên", "Thoa", "Thơm", "Trinh",
    "Tuyết", "Vân", "Xoan", "Yên", "Ân", "Bằng", "Công", "Danh", "Định", "Hào", "Hậu",
    "Hưng", "Khải", "Khang", "Lực", "Mạnh", "Nhân", "Phát", "Quý", "Sĩ", "Tài", "Thái",
    "Thịnh", "Tín", "Trọng", "Tường", "Vĩnh", "Ương", "Hom", "Bun", "Inh", "Ún", "Kiềm",
    "Phin", "Sình", "Dế", "Súa", "Nhè", "Mao", "Sấy", "Chiêm", "Lìu", "Tòn", "Quẩy",
})


class DistinctNames:
    """Hands out names never handed out before (in this process).

    Each (family name, middle names) pair walks through its middle x given x given
    combinations in a scattered order, without rejection sampling (which slows to a
    crawl once most combinations are used); an exhausted family name passes to the next.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken = 0
        self.next: dict[tuple[str, tuple[str, ...]], int] = {}

    def take(self, surname: str, middles: list[str]) -> str:
        square = len(GIVEN2) ** 2
        total = len(middles) * square
        stride = next(p for p in (7919, 7927, 7933, 7937) if math.gcd(p, total) == 1)
        for _ in range(len(SURNAMES)):
            key = (surname, tuple(middles))
            index = self.next.get(key, 0)
            if index < total:
                self.next[key] = index + 1
                self.taken += 1
                middle, rest = divmod(index * stride % total, square)
                first, second = divmod(rest, len(GIVEN2))
                return f"{surname} {middles[middle]} {GIVEN2[first]} {GIVEN2[second]}"
            surname = SURNAMES[(SURNAMES.index(surname) + 1) % len(SURNAMES)]
        raise RuntimeError("every distinct name has been used: raise GIVEN2")


def make_records(n: int, seed: int = 7, names: DistinctNames | None = None) -> list[dict[str, Any]]:
    """Return ``n`` synthetic typed records, about 10% of them with one problem.

    With ``names``, every name (child, father, mother) is one not used before.
    """
    from libchild import catalog

    rng = random.Random(seed)
    communes = [e.code for e in catalog.load().communes.by_parent("14")]
    records = []
    for _ in range(n):
        male = rng.random() < 0.51
        birth = ON - timedelta(days=rng.randrange(1, 16 * 365 - 2))
        age = (ON - birth).days // 365
        surname = rng.choice(SURNAMES)
        middle = rng.choice(MIDDLE_M if male else MIDDLE_F)
        century_sex = (2 if male else 3) if birth.year >= 2000 else (0 if male else 1)
        schooling = "01" if age < 3 else "03" if age < 6 else "04" if age < 11 else "05"
        record: dict[str, Any] = {
            "personal_id": f"014{century_sex}{birth.year % 100:02d}{rng.randrange(10**6):06d}",
            "full_name": (f"{surname} {middle} {rng.choice(GIVEN)}" if names is None
                          else names.take(surname, MIDDLE_M if male else MIDDLE_F)),
            "sex": "1" if male else "2",
            "birth_date": birth.strftime("%d/%m/%Y"),
            "ethnicity": rng.choice(ETHNIC),
            "nationality": "VN",
            "current_address": "Bản Mòng",
            "schooling": schooling,
            "village": f"Bản {rng.randrange(1, 30)}",
            "commune_code": rng.choice(communes),
            "province_code": "14",
            "caregiver_id": f"0140{rng.randrange(70, 99)}{rng.randrange(10**6):06d}",
            "father_name": f"{surname} Văn {rng.choice(GIVEN)}",
            "mother_name": f"{rng.choice(SURNAMES)} Thị {rng.choice(GIVEN)}",
            "caregiver_name": "",
            "circumstances": [],
            "supports": [],
        }
        if names is not None:
            record["father_name"] = names.take(surname, MIDDLE_M)
            record["mother_name"] = names.take(rng.choice(SURNAMES), MIDDLE_F)
        if rng.random() < 0.05:
            record["circumstances"] = rng.choice([["DB04"], ["DB14", "NC02"], ["DB08"]])
            record["supports"] = [{"form": "TG01", "date": "15/03/2025"}]
        elif rng.random() < 0.08:
            record["circumstances"] = ["NC02"]
        if rng.random() < 0.10:
            field, value = rng.choice(PROBLEMS)
            record[field] = value
        records.append(record)
    return records


def run_once(records: list[Any], use_clean: bool = False) -> tuple[float, float, int]:
    """Validate (or clean) every record; return (records/s wall, records/s CPU, count)."""
    from libchild.rules import clean, validate

    start, start_cpu = time.perf_counter(), time.process_time()
    with_issues = 0
    if use_clean:
        for record in records:
            if clean(record, on=ON).issues:
                with_issues += 1
    else:
        for record in records:
            if validate(record, on=ON):
                with_issues += 1
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    return len(records) / wall, len(records) / cpu, with_issues


class PlainLoop:
    """validate() as a caller would write it with the public helpers only: codes looked
    up in the catalogues' code sets, dates parsed once per text (the only memo),
    ``name_error`` on every name, the ID structure from ``cccd.structure_warnings``."""

    def __init__(self) -> None:
        from libchild import catalog

        cats = catalog.load()
        self.codes = {name: getattr(cats, name).codes() for name in (
            "sexes", "ethnicities", "nationalities", "communes", "provinces", "schooling",
            "circumstances", "supports")}
        self.dates: dict[str, Any] = {}

    def date(self, value: Any) -> Any:
        from libchild.dates import parse_date

        found = self.dates.get(value)
        if found is None:
            try:
                found = parse_date(value)
            except (TypeError, ValueError):
                found = False
            self.dates[value] = found
        return found

    def check(self, record: dict[str, Any]) -> list[str]:
        from libchild.ids import cccd
        from libchild.text import name_error

        out: list[str] = []
        codes = self.codes
        if not record.get("sex"):
            out.append("sex.missing")
        elif record["sex"] not in codes["sexes"]:
            out.append("sex.unknown")
        birth = self.date(record["birth_date"]) if record.get("birth_date") else None
        if birth is False:
            out.append("birth_date.invalid")
        elif birth is not None and birth > ON:
            out.append("birth_date.future")
        pid = record.get("personal_id")
        if not pid:
            out.append("personal_id.missing")
        elif not cccd.is_valid(pid):
            out.append("personal_id.length")
        else:
            out.extend(
                cccd.structure_warnings(pid, sex=record.get("sex"), birth_date=birth or None)
            )
        for field in ("full_name", "father_name", "mother_name", "caregiver_name"):
            value = record.get(field)
            if value:
                reason = name_error(value)
                if reason is not None:
                    out.append(f"{field}.{reason}")
        for field, table in (("ethnicity", "ethnicities"), ("schooling", "schooling"),
                             ("commune_code", "communes"), ("province_code", "provinces"),
                             ("nationality", "nationalities")):
            value = record.get(field)
            if value and value not in codes[table]:
                out.append(f"{field}.unknown")
        for code in record.get("circumstances") or ():
            if code not in codes["circumstances"]:
                out.append("circumstance.unknown")
        for support in record.get("supports") or ():
            if support.get("form") not in codes["supports"]:
                out.append("support.unknown_form")
            if self.date(support.get("date")) is False:
                out.append("support.date_invalid")
        return out


def run_plain(records: list[Any], plain: PlainLoop) -> tuple[float, float]:
    """Time the plain loop over ``records``; return (records/s wall, records/s CPU)."""
    start, start_cpu = time.perf_counter(), time.process_time()
    check = plain.check
    for record in records:
        check(record)
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    return len(records) / wall, len(records) / cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="profile one run (cProfile)")
    parser.add_argument("--child", action="store_true",
                        help="validate Child instances (as the app holds them) instead of dicts")
    parser.add_argument("--clean", action="store_true", help="time clean() instead of validate()")
    parser.add_argument("--distinct", action="store_true",
                        help="every name distinct, fresh records for every run")
    parser.add_argument("--plain", action="store_true",
                        help="also time a plain loop of the public helpers on the same records")
    parser.add_argument("--root", type=Path,
                        help="import libchild from this checkout instead (before/after runs)")
    args = parser.parse_args()
    if args.root is not None:
        sys.path.insert(0, str(args.root.resolve()))
    names = DistinctNames(random.Random(11)) if args.distinct else None
    records: list[Any] = make_records(args.records, names=names)
    if args.child:
        from libchild.model import from_dict
        from libchild.rules import clean

        def as_child(record: dict[str, Any]) -> Any:
            result = clean(record, on=ON)
            if any(i.severity == "error" for i in result.issues):
                return record  # the app cannot hold it as a Child: keep the dict
            return from_dict(result.record)

        records = [as_child(r) for r in records]
    plain = PlainLoop() if args.plain else None
    warm = make_records(1000, seed=3, names=names) if names is not None else records[:1000]
    run_once(warm)  # warm the catalogue tables
    if plain is not None:
        run_plain(warm, plain)
    if args.profile:
        import cProfile
        import pstats

        cProfile.runctx("run_once(records, use_clean)", globals(),
                        {"records": records, "use_clean": args.clean}, "/tmp/bv.prof")
        pstats.Stats("/tmp/bv.prof").sort_stats("tottime").print_stats(15)
        return
    rates, cpu_rates, plain_rates, plain_cpu = [], [], [], []
    for run in range(args.runs):
        if names is not None and run:
            records = make_records(args.records, seed=7 + run, names=names)
        if plain is not None:  # interleaved: the plain loop first, on the same records
            rate, cpu_rate = run_plain(records, plain)
            plain_rates.append(rate)
            plain_cpu.append(cpu_rate)
        rate, cpu_rate, with_issues = run_once(records, args.clean)
        rates.append(rate)
        cpu_rates.append(cpu_rate)
    print(f"records: {len(records)}, with at least one issue: {with_issues} "
          f"({with_issues / len(records):.1%})"
          + (f"; distinct names: {names.taken:,}" if names is not None else ""))
    print("runs (records/s, wall clock): " + ", ".join(f"{r:,.0f}" for r in rates))
    print("runs (records/s, CPU time):   " + ", ".join(f"{r:,.0f}" for r in cpu_rates))
    print(f"median: {statistics.median(rates):,.0f} records/s wall clock, "
          f"{statistics.median(cpu_rates):,.0f} records/s of CPU time (one core)")
    if plain is not None:
        print("plain loop runs (wall):       " + ", ".join(f"{r:,.0f}" for r in plain_rates))
        print(f"plain loop median: {statistics.median(plain_rates):,.0f} records/s wall clock, "
              f"{statistics.median(plain_cpu):,.0f} records/s of CPU time")


if __name__ == "__main__":
    main()
