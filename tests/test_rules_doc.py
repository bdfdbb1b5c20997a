"""docs/rules.md documents every issue code exactly as libchild.messages defines it.

Regenerate the table after changing libchild/messages.py:
    PYTHONPATH=. .venv/bin/python tests/test_rules_doc.py
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from libchild.messages import CLI, FIELD_LABELS, MESSAGES, RECORD_LABEL, SEVERITIES
from libchild.model import CANONICAL_FIELDS

DOC = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
BEGIN, END = "<!-- codes:begin -->", "<!-- codes:end -->"


def render() -> str:
    """The table of codes, generated from libchild.messages."""
    rows = [
        "| code | severity | field | meaning (message) | legal source |",
        "|---|---|---|---|---|",
    ]
    for code, m in MESSAGES.items():
        cells = (f"`{code}`", m.severity, f"`{m.field}`" if m.field else "—", m.message,
                 m.source)
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows)


def test_docs_table_matches_messages() -> None:
    doc = DOC.read_text(encoding="utf-8")
    table = doc.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert table == render(), "run: PYTHONPATH=. .venv/bin/python tests/test_rules_doc.py"


def test_every_code_is_documented_once() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for code in MESSAGES:
        assert doc.count(f"| `{code}` |") == 1, code


def test_messages_complete_nfc_and_severities_known() -> None:
    for code, m in MESSAGES.items():
        assert m.severity in SEVERITIES, code
        assert code.count(".") == 1, code
        for text in (m.message, m.hint, m.message_en, m.hint_en, m.source):
            assert text.strip(), code
            assert unicodedata.is_normalized("NFC", text), code
    for text in CLI.values():
        assert unicodedata.is_normalized("NFC", text)


def test_every_field_has_a_vietnamese_label() -> None:
    assert set(FIELD_LABELS) == set(CANONICAL_FIELDS)
    for code, m in MESSAGES.items():
        assert m.field is None or m.field in FIELD_LABELS, code
    for vi, en in [*FIELD_LABELS.values(), RECORD_LABEL]:
        assert vi and en and unicodedata.is_normalized("NFC", vi)


def test_codes_from_other_modules_have_messages() -> None:
    # ID structure warnings (libchild.ids.cccd) and name reasons (libchild.text.name_error)
    for reason in ("unknown_prefix", "sex_mismatch", "century_mismatch", "year_mismatch"):
        assert f"personal_id.{reason}" in MESSAGES
    for reason in ("missing", "digits", "symbols", "too_long", "single_word",
                   "legacy_encoding"):
        assert f"full_name.{reason}" in MESSAGES


if __name__ == "__main__":
    text = DOC.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    DOC.write_text(f"{head}{BEGIN}\n{render()}\n{END}{tail}", encoding="utf-8")
    print(f"wrote {DOC}")
