"""Time find_duplicates on synthetic records with planted duplicates.

Generates N synthetic children (default 300,000) in households that share the
caregiver's ID number and the parents' names, with Vietnamese names drawn with
realistic frequencies (common family names, Văn/Thị and other middle names,
common given names), then plants about 1% duplicates of five kinds: the same
name with a birth date a few days off; the name without diacritics; the name with
one typo; the same ID number with a differently typed name and a wrong date; a
one-typo name under the same caregiver with a wrong date. It reports the median
time of ``find_duplicates`` over several runs (generation excluded), the number of
pairs and the share of planted duplicates found. All data is synthetic.

    python -m benchmarks.bench_duplicates [--records 300000] [--runs 3] [--seed 1]

(run from the repository root).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import unicodedata
from datetime import date, timedelta

from libchild.dates import format_date
from libchild.duplicates import find_duplicates

FAMILY = [
    ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 71), ("Hoàng", 30), ("Huỳnh", 21),
    ("Phan", 45), ("Vũ", 25), ("Võ", 14), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13),
    ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Đinh", 6), ("Lương", 4), ("Trịnh", 4), ("Mai", 3),
    ("Cao", 3), ("Lò", 3), ("Hà", 3), ("Vi", 2), ("Giàng", 3), ("Sùng", 2), ("Thào", 2),
    ("Lường", 2), ("Quàng", 1), ("Tạ", 2), ("Đoàn", 4), ("Chu", 2), ("Kiều", 1), ("Lâm", 3),
]
MIDDLE_MALE = [("Văn", 40), ("Đức", 8), ("Minh", 10), ("Quang", 6), ("Hữu", 6), ("Thành", 5),
               ("Gia", 6), ("Anh", 5), ("Hoàng", 4), ("Xuân", 3), ("Tuấn", 3), ("Bảo", 4)]
MIDDLE_FEMALE = [("Thị", 40), ("Ngọc", 10), ("Thu", 6), ("Thanh", 6), ("Minh", 5),
                 ("Phương", 4), ("Bảo", 5), ("Khánh", 4), ("Hồng", 4), ("Thùy", 3), ("Mai", 3),
                 ("Thị Thu", 3), ("Thị Ngọc", 2)]
_GIVEN_MALE_TEXT = ("An Anh Bảo Bình Cường Dũng Duy Đạt Đức Giang Hải Hào Hiếu Hòa Hoàng Hùng "
              "Huy Hưng Khang Khánh Khoa Khôi Kiên Lâm Long Lộc Mạnh Minh Nam Nghĩa Nhân Phát "
              "Phong Phúc Quân Quang Quý Sơn Tài Tâm Thắng Thành Thiện Thịnh Tiến Toàn Trí "
              "Trung Tuấn Tùng Việt Vinh Vũ Sang Sáng Páo Chứ")
_GIVEN_FEMALE_TEXT = ("An Anh Ánh Bích Châu Chi Diệp Dung Duyên Giang Hà Hạnh Hằng Hiền Hoa Hồng "
                "Huyền Hương Lan Linh Loan Ly Mai My Nga Ngân Ngọc Nhi Nhung Oanh Phương "
                "Quyên Quỳnh Tâm Thảo Thư Thủy Trang Trâm Uyên Vân Vy Xuân Yến Diệu Tú Mỷ "
                "Dợ Súa")
GIVEN_MALE = _GIVEN_MALE_TEXT.split()
GIVEN_FEMALE = _GIVEN_FEMALE_TEXT.split()
PREFIXES = ["001", "002", "014", "020", "025", "036", "038", "040", "046", "048", "052", "066",
            "074", "079", "092", "096"]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([w for w, _ in weighted], weights=[n for _, n in weighted])[0]


def _name(rng: random.Random, family: str, male: bool) -> str:
    middle = _pick(rng, MIDDLE_MALE if male else MIDDLE_FEMALE)
    given = rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)
    return f"{family} {middle} {given}"


def _adult(rng: random.Random, male: bool) -> str:
    return _name(rng, _pick(rng, FAMILY), male)


def _strip_marks(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _typo(rng: random.Random, name: str) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    i = rng.choice(letters[1:])
    kind = rng.randrange(3)
    if kind == 0:  # replace
        return name[:i] + rng.choice("aeiounhtg") + name[i + 1:]
    if kind == 1:  # delete
        return name[:i] + name[i + 1:]
    return name[:i] + rng.choice("aeiounhtg") + name[i:]  # insert


def generate(n: int, seed: int = 1) -> tuple[list[dict], list[tuple[int, int]]]:
    """Return ``n`` synthetic records and the (original, duplicate) positions planted."""
    rng = random.Random(seed)
    start = date(2010, 12, 1)
    span = (date(2026, 11, 1) - start).days
    n_dups = n // 100
    records: list[dict] = []
    serial = 0
    while len(records) < n - n_dups:
        family = _pick(rng, FAMILY)
        father, mother = _name(rng, family, True), _adult(rng, False)
        caregiver_id = f"{rng.choice(PREFIXES)}{rng.choice('01')}{rng.randrange(70, 100):02d}" \
                       f"{rng.randrange(10**6):06d}"
        commune = f"{rng.randrange(1, 32000):05d}"
        for _ in range(rng.choice((1, 1, 2, 2, 2, 3, 4))):
            male = rng.random() < 0.51
            birth = start + timedelta(days=rng.randrange(span))
            serial += 1
            personal_id = None
            if rng.random() < 0.85:
                digit = 2 + (0 if male else 1)
                personal_id = (f"{rng.choice(PREFIXES)}{digit}{birth.year % 100:02d}"
                               f"{serial % 10**6:06d}")
            records.append({
                "personal_id": personal_id,
                "full_name": _name(rng, family, male),
                "sex": "1" if male else "2",
                "birth_date": format_date(birth) if rng.random() < 0.7 else birth,
                "caregiver_id": caregiver_id,
                "father_name": father,
                "mother_name": mother,
                "caregiver_name": father if rng.random() < 0.5 else mother,
                "commune_code": commune,
            })
    del records[n - n_dups:]
    planted = []
    for _ in range(n_dups):
        original = rng.randrange(len(records))
        dup = dict(records[original])
        birth = dup["birth_date"]
        birth = birth if isinstance(birth, date) else date(*map(int, birth.split("/")[::-1]))
        kind = rng.randrange(5)
        if kind == 0:
            dup["birth_date"] = format_date(birth + timedelta(days=rng.randint(1, 20)))
            dup["personal_id"] = None
        elif kind == 1:
            dup["full_name"] = _strip_marks(dup["full_name"])
            dup["personal_id"] = None
        elif kind == 2:
            dup["full_name"] = _typo(rng, dup["full_name"])
            dup["personal_id"] = None
        elif kind == 3:
            if not dup["personal_id"]:
                dup["personal_id"] = f"079{3 - (dup['sex'] == '1')}{birth.year % 100:02d}999999"
                records[original]["personal_id"] = dup["personal_id"]
            dup["full_name"] = dup["full_name"].upper()
            dup["birth_date"] = format_date(birth + timedelta(days=400))
        else:
            dup["full_name"] = _typo(rng, dup["full_name"])
            dup["birth_date"] = format_date(birth + timedelta(days=rng.randint(60, 900)))
            dup["personal_id"] = None
        records.append(dup)
        planted.append((original, len(records) - 1))
    return records, planted


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    t0 = time.perf_counter()
    records, planted = generate(args.records, args.seed)
    print(f"generated {len(records):,} records ({len(planted):,} planted duplicates) "
          f"in {time.perf_counter() - t0:.1f} s")
    times = []
    cpu = []
    pairs = []
    for _ in range(args.runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        pairs = find_duplicates(records)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    found = {(p.left, p.right) for p in pairs}
    hits = sum((min(a, b), max(a, b)) in found for a, b in planted)
    print(f"find_duplicates: median {statistics.median(times):.2f} s over {len(times)} runs "
          f"({', '.join(f'{t:.2f}' for t in times)}); "
          f"CPU time median {statistics.median(cpu):.2f} s")
    print(f"pairs: {len(pairs):,}; planted found: {hits:,}/{len(planted):,} "
          f"({100 * hits / max(1, len(planted)):.1f}%)")
    strong = sum(p.score >= 0.8 for p in pairs)
    print(f"pairs with score >= 0.8: {strong:,}")


if __name__ == "__main__":
    main()
