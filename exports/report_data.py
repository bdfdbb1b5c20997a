"""The figures of a report as one canonical document, and its SHA-256 digest.

A report workbook carries, in a hidden sheet, the canonical JSON of every figure it
shows (:func:`to_document`) and the SHA-256 of that JSON (:func:`digest`). The
province's merge reads the document back (:func:`from_document`), recomputes the digest
and compares the visible cells with the document.

What the digest proves, and what it does not. A plain SHA-256, with no key, detects a
figure changed by hand in the workbook (in the visible table, which no longer matches
the document, or in the hidden document, which no longer matches its digest) and a file
damaged on the way. It does not prove who made the file nor that the figures come from
the register: anyone who edits the hidden document and recomputes SHA-256 (a public
algorithm) makes a consistent file. That needs a key shared between commune and
province (HMAC) or a signature, which the register does not have today.

The document is JSON with sorted keys, no spaces, UTF-8 (``ensure_ascii=False``); the
digest is over exactly those bytes, so it is the same on every machine.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from libchild.indicators import (
    Area,
    Breakdown,
    Count,
    Evaluation,
    Period,
    PeriodFigures,
)
from libchild.indicators.loader import plan_from_dict

__all__ = ["FORMAT", "VERSION", "canonical_json", "digest", "from_document", "plan_digest",
           "to_document"]

#: Marks a report document of this software; ``VERSION`` its layout.
FORMAT = "treem.report"
VERSION = 1


def canonical_json(value: Any) -> str:
    """The canonical JSON text of ``value`` (sorted keys, no spaces, UTF-8 text)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(document: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of ``document``."""
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


def plan_digest(plan_dict: Mapping[str, Any]) -> str:
    """SHA-256 of a plan's canonical definitions (communes merged must share it)."""
    return digest(plan_dict)


def _counts(table: Mapping[str, Count]) -> dict[str, list[int]]:
    return {key: [c.numerator, c.denominator] for key, c in table.items()}


def _breakdown(b: Breakdown) -> dict[str, Any]:
    return {
        "total": b.total, "by_sex": dict(b.by_sex), "by_age": list(b.by_age),
        "by_area": dict(b.by_area), "by_ethnicity": dict(b.by_ethnicity),
        "by_circumstance": dict(b.by_circumstance), "by_group": dict(b.by_group),
        "with_personal_id": b.with_personal_id, "id_verified": b.id_verified,
        "deceased_in_period": b.deceased_in_period,
    }


def to_document(evaluation: Evaluation, *, kind: str = "commune",
                communes: list[str] | None = None) -> dict[str, Any]:
    """The canonical document of ``evaluation`` (``kind`` ``commune`` or ``province``)."""
    plan = evaluation.plan.to_dict()
    area = evaluation.area
    return {
        "format": FORMAT, "version": VERSION, "kind": kind,
        "area": {"code": area.code, "name": area.name, "province_code": area.province_code,
                 "villages": list(area.villages)},
        "area_kind": evaluation.area_kind,
        "area_names": dict(evaluation.area_names),
        "communes": sorted(communes or []),
        "plan": plan, "plan_digest": plan_digest(plan),
        "no_birth_date": evaluation.no_birth_date,
        "periods": [{
            "key": f.period.key,
            "counts": _counts(f.counts),
            "by_area": {a: _counts(t) for a, t in f.by_area.items()},
            "breakdown": _breakdown(f.breakdown),
        } for f in evaluation.periods],
    }


def _count_table(raw: Mapping[str, Any]) -> dict[str, Count]:
    return {key: Count(int(v[0]), int(v[1])) for key, v in raw.items()}


def from_document(document: Mapping[str, Any]) -> Evaluation:
    """Rebuild the :class:`Evaluation` a document was made from (raises on bad data)."""
    area = document["area"]
    periods = []
    for raw in document["periods"]:
        b = raw["breakdown"]
        periods.append(PeriodFigures(
            period=Period.from_key(raw["key"]),
            counts=_count_table(raw["counts"]),
            by_area={a: _count_table(t) for a, t in raw["by_area"].items()},
            breakdown=Breakdown(
                total=int(b["total"]), by_sex=dict(b["by_sex"]), by_age=tuple(b["by_age"]),
                by_area=dict(b["by_area"]), by_ethnicity=dict(b["by_ethnicity"]),
                by_circumstance=dict(b["by_circumstance"]), by_group=dict(b["by_group"]),
                with_personal_id=int(b["with_personal_id"]),
                id_verified=int(b["id_verified"]),
                deceased_in_period=int(b["deceased_in_period"])),
        ))
    return Evaluation(
        plan=plan_from_dict(document["plan"]),
        area=Area(area["code"], area["name"], area["province_code"], tuple(area["villages"])),
        periods=tuple(periods), no_birth_date=int(document["no_birth_date"]),
        area_kind=document["area_kind"], area_names=dict(document["area_names"]),
    )
