"""One table per field and per coded value: every member named once, nowhere else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui.domain import (
    BatchStatus,
    Permission,
    Poverty,
    RecordState,
    Relation,
    ReviewKind,
    Role,
    RowStatus,
)
from tui.messages import labels
from tui.messages.review import REVIEW_KINDS

TUI = Path(__file__).resolve().parents[1] / "tui"


@pytest.mark.parametrize(("enum", "table"), [
    (Role, labels.ROLE_NAMES), (Permission, labels.PERMISSION_NAMES),
    (RecordState, labels.STATE_NAMES), (Poverty, labels.POVERTY_NAMES),
    (BatchStatus, labels.BATCH_STATUS_NAMES), (RowStatus, labels.ROW_STATUS_NAMES),
    (ReviewKind, REVIEW_KINDS), (Relation, labels.RELATION_NAMES),
])
def test_every_code_has_one_name(enum: type, table: dict) -> None:
    assert set(table) == set(enum)
    assert all(isinstance(key, enum) for key in table)


def test_code_names_and_field_labels_are_written_once() -> None:
    """A state, role or poverty code is never a dict key outside its table, and no module
    but the labels spells a field's label."""
    keys = re.compile(r'^\s*"(administrator|collaborator|needs_fixing|sent_to_police|'
                      r'id_verified|near_poor|view_personal)"\s*:', re.M)
    spelled = re.compile(r'"(Họ và tên|Ngày sinh|Giới tính|Dân tộc|Số định danh)"')
    for path in sorted(TUI.rglob("*.py")):
        if path.name in ("labels.py", "domain.py"):
            continue
        text = path.read_text(encoding="utf-8")
        assert not keys.search(text), path
        assert not spelled.search(text), path


def test_the_entry_form_and_the_detail_label_a_field_alike() -> None:
    from tui.messages import ui

    for field in ("full_name", "sex", "birth_date", "ethnicity", "personal_id"):
        assert ui.form_label(field) == labels.short_label(field)
        assert labels.field_label(field).startswith(labels.short_label(field)[:2])
