"""Terminal escapes in text: refused at input by the service layer, escaped on output."""

from __future__ import annotations

import pytest

from libchild.text.controls import escape_unsafe, first_unsafe
from tui import cli
from tui.errors import InvalidInput
from tui.services import Services, accounts
from tui.store.settings import create_register

HOSTILE = ["Bản\x1b]0;pwned\x07\x1b[2J", "Lò\x9bVăn", "Mai\u202egnaoH", "A\x00B", "x\x7f"]


@pytest.fixture
def reg(tmp_path):
    db = create_register(tmp_path / "r.db", commune_code="03808", commune_name="Xã Mường La",
                         province_code="14")
    accounts.create_account(db, "lan.officer", "Lò Thị Lan", "officer", "tam-thoi-123",
                            must_change_password=False)
    yield Services(db, accounts.login(db, "lan.officer", "tam-thoi-123"))
    db.close()


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("field", ["full_name", "address_detail", "notes", "father_name"])
def test_control_characters_are_refused_in_vietnamese_and_nothing_is_stored(
        reg, field, text):
    data = {"full_name": "Lò Văn Ánh", "sex": "Nam", "birth_date": "12/03/2016",
            field: text}
    with pytest.raises(InvalidInput, match="ký tự điều khiển"):
        reg.children.save(data)
    assert reg.db.execute_sql("SELECT count(*) FROM child").fetchone()[0] == 0


def test_an_edit_cannot_slip_an_escape_into_a_stored_child(reg):
    saved = reg.children.save({"full_name": "Lò Văn Ánh", "sex": "Nam",
                               "birth_date": "12/03/2016"})
    with pytest.raises(InvalidInput):
        reg.children.save({"id": saved.child_id, "full_name": "Lò Văn\x1b[2J Ánh"},
                          expected_version=saved.version)
    name = reg.db.execute_sql("SELECT full_name FROM child").fetchone()[0]
    assert name == "Lò Văn Ánh"


def test_tab_newline_and_vietnamese_pass():
    assert first_unsafe("Nguyễn Thị Hằng\tBản Nà\nxóm 2") is None


def test_stored_escapes_are_printed_visibly_by_the_command_line(capsys):
    cli._out("Bản\x1b]0;pwned\x07 \u202e")
    cli._err("\x9b2J")
    out, err = capsys.readouterr()
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\u001b]0;pwned\\u0007" in out and "\\u009b2J" in err
    assert escape_unsafe("Hà Giang") == "Hà Giang"


def test_village_user_and_household_texts_are_refused_too(tmp_path):
    db = create_register(tmp_path / "r.db", commune_code="03808", commune_name="Xã Mường La",
                         province_code="14")
    accounts.create_account(db, "quan.tri", "Quản Trị", "administrator", "tam-thoi-123",
                            must_change_password=False)
    admin = Services(db, accounts.login(db, "quan.tri", "tam-thoi-123"))
    with pytest.raises(InvalidInput, match="ký tự điều khiển"):
        admin.commune.add_village("Bản\x1b]0;pwned\x07\x1b[2J")
    with pytest.raises(InvalidInput, match="ký tự điều khiển"):
        admin.users.create("lan\x1b[2J", "Lò Thị Lan", "officer", "tam-thoi-123")
    assert db.execute_sql("SELECT count(*) FROM village WHERE name LIKE '%'||char(27)||'%'"
                          ).fetchone()[0] == 0
    db.close()
