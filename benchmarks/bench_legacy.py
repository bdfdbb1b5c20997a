"""Benchmark: legacy-encoding detection on garbled and on good names (issue 11 item 3).

Garbled names: the demo generator's names (``tui.demo.names``: Kinh, Thái, H'Mông, Dao,
Khơ Mú, Kháng, Mường, Tày-Nùng styles, with the modern second given names), 85% as
written and 15% in capitals (lists typed in capitals), written with
:func:`libchild.text.encode_legacy` and read back as Windows-1252 text, the way a sheet
typed in .VnTime or VNI-Times shows in a Unicode font. Only names the encoding changes
count (a name such as "Mai Kim Vy" looks the same in every encoding). A second, held-out
set encodes names of other pools (the European and minority pools below are not
encoded; the Kinh pool of the tests and the Central Highlands, Khmer and Chăm pools
are).

Good names (false alarms): 50,000 distinct Unicode texts: demo names in three case
forms, Kinh names of an independent pool, names of minority groups ("Y-Moan Êban",
"H'Hen Niê", "Ksor H'Bia", "Rơ Mah Hơ", "Giàng A Páo"), European names in Latin-1
letters ("Loïc Dupont", "Søren Ångström"), and the catalogue's place and group names
("Đắk Lắk").

Prints detection and false-alarm rates (``detect_legacy`` and ``validate``'s
``full_name.legacy_encoding``), examples of misses, and the detector's speed.

    .venv/bin/python benchmarks/bench_legacy.py [--names 10000] [--seed 20261205] [--root DIR]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout
if "--root" in sys.argv:  # another checkout's libchild (before/after runs), before importing
    sys.path.insert(0, str(Path(sys.argv[sys.argv.index("--root") + 1]).resolve()))

from libchild.rules import validate
from libchild.text import detect_legacy, encode_legacy
from tui.demo.names import STYLES, make_name

ROOT = Path(__file__).resolve().parent.parent
ON = date(2025, 9, 1)
GOOD_TARGET = 50_000


def _split(text: str) -> list[str]:
    return text.split()


# Kinh names of an independent pool (also the pool of tests/test_legacy.py).
KINH_FAMILY = _split(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Lò Hà Tòng "
    "Quàng Lường Cầm Nông Triệu Ma Vi Sầm Mùa Thào Giàng Sùng Vàng Hờ Lầu Đinh Kiều Tô Từ Lã "
    "Trương Lương Trịnh Đào Cao Lâm Tạ Mạc Lưu Chu Đàm Phùng Thân Tăng Quách Khúc Âu Ông"
)
KINH_MIDDLE = _split(
    "Văn Thị Hữu Đức Ngọc Minh Thanh Xuân Quốc Gia Bảo Kim Mai Hoài Như Diệu Thuý Thúy Công "
    "Duy Thế Đình Khánh Tuấn Anh Phương Hồng Thu Bích Thảo Mỹ Hải Trọng Quang Tiến"
)
KINH_GIVEN = _split(
    "An Anh Ánh Bảo Bình Chi Cường Dũng Đạt Giang Hà Hải Hạnh Hằng Hiếu Hoà Hòa Hoàng Huệ Hùng "
    "Huy Khoa Khoẻ Khỏe Lan Linh Loan Lợi Long Mai Minh My Nga Ngân Nhi Oanh Phúc Phương Quân "
    "Quý Quỳnh Sơn Tâm Thảo Thủy Thuỷ Tiến Trang Trí Trúc Tú Tuấn Tùng Uyên Vân Việt Vy Xuân "
    "Yến Páo Súa Mỷ Chứ Pó Dín Sếnh Chá Lử Sì Hờ Lê Hồ Võ Tô Ân Dung Duyên Hiền Hương Huyền "
    "Khánh Khôi Kiên Lâm Lộc Luân Mạnh Nam Nghĩa Nhân Nhung Phong Quang Sang Tài Thắng Thành "
    "Thịnh Thơ Thư Toàn Trinh Trung Tường Vinh Yên Cúc Đào Hoa Hồng Liên Lụa Thoa Tươi Xoan"
)
# Central Highlands (Ê Đê, Gia Rai, Ba Na, Xơ Đăng, M'Nông, Cơ Ho), Khmer, Chăm, Cơ Tu names.
HIGHLAND_FAMILY = _split(
    "Niê Êban Mlô Ayun Adrơng Byă Kbuôr Hwing Knul Ktla Ksor Siu Kpă Nay Rahlan Puih Rcom "
    "Kpuih Rơ Đinh Y H'Dơk Bkrông Hđơk Mđrang Êya Buôn Yă Ksơr Rmah Kso Nie Hmok Điểu Thị "
    "K'Bròn Liêng Ka Ya Tơ Pơloong Alăng Zơ Briu Clâu Bhling Ating Hiên Đinh Hồ Y-Bih"
)
HIGHLAND_GIVEN = _split(
    "Moan Hen Bia Blang Ngọc Pho Phú Thép Kông Jút Xuân Lê Bih Ngông Sao Kim Mai Hơ Nga "
    "Blúi Châm Nhung Ju Dăm Thu Hoa Loan Ly Nhi Djuan Yơn Kđoh Đak Hlê Bơi Hương Pla Kuêt "
    "Aleo Bríu Pơ Lành Hùng Rin Bông Đăm Kriêng Hyưn Lia Mlô Dhiă Krông Kla Nuôl Êlang"
)
KHMER_CHAM = _split(
    "Thạch Danh Sơn Kim Lâm Chau Néang Sóc Khanh Sa Ri Phol Phia Sà Kha Thị Ngọc Huỳnh "
    "Đàng Năng Thọ Thông Quảng Đại Tuyên Từ Lưu Chế Bá Lộ Trượng Dương Châu Ma Hán Lâm "
    "Sô Phal Sóc Chanh Kosal Sokha Srey Mây Chanthou Bôrây Sovanna Nang Pho Sơ Ry"
)
MINORITY_FIXED = [
    "Y-Moan Êban", "H'Hen Niê", "Ksor", "Rơ Mah", "Đắk Lắk", "Giàng A Páo", "Ksor H'Bia",
    "Y Moan Ênuôl", "Y-Blang Mlô", "Rơ Châm Blúi", "Kpă Y Ngọc", "Siu H'Pho", "Nay Y Phú",
    "Đinh Thị Byă", "Lò Văn Páo", "Giàng A Chứ", "Sùng Thị Mỷ", "Ka Sô Liễng", "K'Brêu",
    "Adrơng H'Xuân", "Bdap Y Thép", "Êban Y Kông", "Ayun H'Lê", "Mlô Duôn Du",
    "Niê Kdăm Y Jút", "Rơ Mah Hơ", "Y Ngông Niê", "H'Nga Kbuôr", "Thạch Thị Sa Ri",
    "Danh Sà Phol", "Chau Sóc Khanh", "Néang Sa Phia", "Đàng Năng Thọ", "Quảng Đại Tuyên",
]
# European names written with Latin-1 letters.
EURO_GIVEN = _split(
    "Loïc Anaïs Raphaël Noël Chloé Zoë José María Françoise Hélène Gaëlle Søren Benoît Moïse "
    "Maïté Aïcha João Jürgen Thaïs Noémie Zoé Héloïse Joël Agnès Bénédicte Céline Cécile "
    "Clémence Léa Léon Mégane Mélanie Ophélie Renée Sébastien Stéphane Thérèse Valérie "
    "Jérôme Jérémie André Amélie Inès Lucía Raúl Ramón Sofía Álvaro Andrés Iñigo Begoña "
    "Núria Mònica Joaquín Martín Matías Tomás Ángel Óscar Íñigo Conceição Tomé Gonçalo "
    "Luís Inês Mário Sebastião Antônio Björn Åsa Øystein Sigrún Guðrún Þórunn Bjørn Jörg "
    "Jörn Günter Käthe Ännchen Uwe Fritz Lærke Ingrid Ågot Märta Pär Östen Sölve Göran "
    "Aleksandër Ergün Zoltán Ádám Dénes Gyöngyi Tünde Réka Józef Łucja Ilse Désirée Noëlle "
    "Anaëlle Maëlys Citlalí Aurélien Aurélie Eugénie Frédéric Gérard Grégoire Hervé Jacqueline"
)
EURO_FAMILY = _split(
    "Dupont Moreau Müller Peña Núñez Björk Ångström Schön Lefèvre Gérard Bézier Bové Garçon "
    "Hébert Ménard Pétain Rémy Sénéchal Thévenin Vézina Fàbregas Muñoz Ibáñez Sáenz Gómez "
    "Pérez Rodríguez Martínez Hernández Sánchez Díaz Jiménez Álvarez Méndez Conceição "
    "Gonçalves Magalhães Simões Guimarães Brandão Falcão Löfgren Nyström Sjöberg Åkesson "
    "Øvergård Sørensen Jørgensen Kjær Guðmundsdóttir Þórsson Jónsdóttir Schröder Köhler "
    "Krüger Mößner Weiß Groß Jäger Böhm Führer Günther Hölderlin Dvořák Kovács Szabó "
    "Tóth Pálsson Strømberg Eriksdóttir Leclère Lemaître Benoît Château Crémieux Dàvila "
    "Citroën Noël Loïc Haïm Naïm Aït Saïd Zoë"
)


def _catalog_names() -> list[str]:
    names: list[str] = []
    for path in (ROOT / "catalogs").glob("*.csv"):
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln[:1] != "#"]
        for row in csv.DictReader(lines):
            names.append(row.get("name") or "")
            names.extend(n for n in (row.get("other_names") or "").split("|") if n)
    return [n for n in names if n]


def demo_names(rng: random.Random, count: int) -> list[str]:
    """Names as the demo generator makes them, every naming style alike."""
    styles = list(STYLES.values())
    return [
        make_name(rng, rng.choice(styles), rng.choice("12"), modern=True) for _ in range(count)
    ]


def other_names(rng: random.Random, count: int) -> list[str]:
    """Names of the pools above (Kinh of the tests, Central Highlands, Khmer, Chăm)."""
    out = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.6:
            out.append(" ".join(rng.choice(p) for p in (KINH_FAMILY, KINH_MIDDLE, KINH_GIVEN)))
        elif kind < 0.85:
            given = rng.choice(HIGHLAND_GIVEN)
            prefix = rng.choice(("Y ", "Y-", "H'", "H’", ""))
            out.append(f"{rng.choice(HIGHLAND_FAMILY)} {prefix}{given}")
        else:
            out.append(" ".join(rng.choice(KHMER_CHAM) for _ in range(rng.choice((2, 3, 4)))))
    return out


def european_names(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        parts = [rng.choice(EURO_GIVEN)]
        if rng.random() < 0.3:
            parts.append(rng.choice(EURO_GIVEN))
        parts.append(rng.choice(EURO_FAMILY))
        out.append(" ".join(parts))
    return out


def good_texts(seed: int) -> list[str]:
    """50,000 distinct Unicode texts that must never be flagged."""
    rng = random.Random(seed + 1)
    texts: dict[str, None] = {}

    def add(items: list[str]) -> None:
        for text in items:
            texts.setdefault(text, None)

    add(MINORITY_FIXED)
    add(_catalog_names())
    add(european_names(rng, 7000))
    add(other_names(rng, 9000))
    for name in demo_names(rng, 12_000):
        form = rng.random()
        add([name.upper() if form < 0.15 else name.lower() if form < 0.2 else name])
    while len(texts) < GOOD_TARGET:
        add(demo_names(rng, 1000))
    return list(texts)[:GOOD_TARGET]


def as_read_in_unicode(text: str, encoding: str) -> str:
    """``text`` typed in a legacy font, its bytes read back as Windows-1252."""
    return encode_legacy(text, encoding).encode("cp1252").decode("cp1252")


def garbled(names: list[str], encoding: str, rng: random.Random) -> list[tuple[str, str]]:
    """(original, garbled) pairs for the names the encoding changes."""
    out = []
    for name in names:
        if rng.random() < 0.15:
            name = name.upper()
        shown = as_read_in_unicode(name, encoding)
        if shown != name:
            out.append((name, shown))
    return out


def detect(text: str, name: bool) -> str | None:
    """detect_legacy, also of a checkout from before ``name=`` existed."""
    try:
        return detect_legacy(text, name=name)  # type: ignore[call-arg]
    except TypeError:
        return detect_legacy(text)


def flagged_by_validate(text: str) -> bool:
    record = {"full_name": text, "sex": "1", "birth_date": "01/01/2020"}
    return any(i.code == "full_name.legacy_encoding" for i in validate(record, on=ON))


def measure(label: str, names: list[str], seed: int) -> None:
    for encoding in ("tcvn3", "vni"):
        pairs = garbled(names, encoding, random.Random(seed))
        found = [detect(g, True) for _, g in pairs]
        caught = found.count(encoding)
        wrong = len(found) - caught - found.count(None)
        general = sum(detect(g, False) == encoding for _, g in pairs)
        by_validate = sum(flagged_by_validate(g) for _, g in pairs)
        missed = [(o, g) for (o, g), f in zip(pairs, found, strict=True) if f is None]
        print(f"{label} {encoding}: {len(pairs):,} garbled of {len(names):,} names; "
              f"detected (name=True) {caught:,} ({caught / len(pairs):.2%}), "
              f"other encoding {wrong}, missed {len(missed)}; "
              f"validate flags {by_validate / len(pairs):.2%}; "
              f"as general text (name=False) {general / len(pairs):.2%}")
        if missed:
            print("   missed e.g.: " + "; ".join(f"{g} ({o})" for o, g in missed[:8]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", type=Path, help="import libchild from this checkout")
    args = parser.parse_args()

    names = demo_names(random.Random(args.seed), args.names)
    measure("demo", names, args.seed)
    measure("held-out", other_names(random.Random(args.seed + 2), args.names), args.seed)

    good = good_texts(args.seed)
    false = [t for t in good if detect(t, True) is not None]
    false_general = sum(detect(t, False) is not None for t in good)
    false_validate = sum(flagged_by_validate(t) for t in good)
    latin1 = [t for t in good if max(t) <= "\xff" and not t.isascii()]
    print(f"good: {len(good):,} distinct Unicode texts ({len(latin1):,} in Latin-1 letters "
          f"only, which reach the full scorer); false alarms: {len(false)} with name=True, "
          f"{false_general} with name=False, {false_validate} by validate"
          + (": " + "; ".join(false[:10]) if false else ""))

    # Speed: calls per second of CPU time over the good texts and the garbled names.
    sample = good + [g for _, g in garbled(names, "tcvn3", random.Random(1))]
    rates, slow = [], []
    for _ in range(args.runs):
        start = time.process_time()
        for text in sample:
            detect(text, True)
        rates.append(len(sample) / (time.process_time() - start))
        start = time.process_time()
        for text in latin1:
            detect(text, True)
        slow.append(len(latin1) / (time.process_time() - start))
    print(f"detect_legacy: {statistics.median(rates):,.0f} calls/s over all texts, "
          f"{statistics.median(slow):,.0f} calls/s on Latin-1-only texts "
          f"(median of {args.runs}, CPU time, word scores cached)")


if __name__ == "__main__":
    main()
