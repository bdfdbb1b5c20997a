"""Benchmark: ``libchild.validate`` on typical synthetic records (issue 2, Numbers).

Generates N synthetic records (all data invented; ID numbers follow the TT 07/2016
structure with random digits): children of Sơn La communes with plausible names, codes
as a register stores them, dates as typed (dd/mm/yyyy), some in special circumstances
with supports, and about 10% with one problem of the step 3 kind. Prints records per
second, the median of several runs, by wall clock and by CPU time (the CPU-time figure
is the one core's throughput even when other processes share the machine).

    .venv/bin/python benchmarks/bench_validate.py [--records 200000] [--runs 5] [--child]
                                                  [--clean] [--profile]
"""

from __future__ import annotations

import argparse
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


def make_records(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """Return ``n`` synthetic typed records, about 10% of them with one problem."""
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
            "full_name": f"{surname} {middle} {rng.choice(GIVEN)}",
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="profile one run (cProfile)")
    parser.add_argument("--child", action="store_true",
                        help="validate Child instances (as the app holds them) instead of dicts")
    parser.add_argument("--clean", action="store_true", help="time clean() instead of validate()")
    args = parser.parse_args()
    records: list[Any] = make_records(args.records)
    if args.child:
        from libchild.model import from_dict
        from libchild.rules import clean

        def as_child(record: dict[str, Any]) -> Any:
            result = clean(record, on=ON)
            if any(i.severity == "error" for i in result.issues):
                return record  # the app cannot hold it as a Child: keep the dict
            return from_dict(result.record)

        records = [as_child(r) for r in records]
    run_once(records[:1000])  # warm the catalogue tables
    if args.profile:
        import cProfile
        import pstats

        cProfile.runctx("run_once(records, use_clean)", globals(),
                        {"records": records, "use_clean": args.clean}, "/tmp/bv.prof")
        pstats.Stats("/tmp/bv.prof").sort_stats("tottime").print_stats(15)
        return
    rates, cpu_rates = [], []
    for _ in range(args.runs):
        rate, cpu_rate, with_issues = run_once(records, args.clean)
        rates.append(rate)
        cpu_rates.append(cpu_rate)
    print(f"records: {len(records)}, with at least one issue: {with_issues} "
          f"({with_issues / len(records):.1%})")
    print("runs (records/s, wall clock): " + ", ".join(f"{r:,.0f}" for r in rates))
    print("runs (records/s, CPU time):   " + ", ".join(f"{r:,.0f}" for r in cpu_rates))
    print(f"median: {statistics.median(rates):,.0f} records/s wall clock, "
          f"{statistics.median(cpu_rates):,.0f} records/s of CPU time (one core)")


if __name__ == "__main__":
    main()
