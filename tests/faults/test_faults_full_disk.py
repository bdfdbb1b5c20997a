"""Item 5 of issue 9: a full disk does not lock everyone out. With the register's disk
full, login, viewing, ``backup`` and exports to another disk, and ``audit --verify`` still
work; the app says plainly that the disk is full; a save is refused, loses nothing saved,
and works again once space returns; the audit entries of the read actions, held in memory
meanwhile, are written then (decision in docs/decisions.md)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from test_faults_commands import PASSWORD, _as, _assert_clean_failure, _english_words, _treem

from tui.errors import DiskFull
from tui.messages import cli as cli_msg
from tui.messages import core as core_msg
from tui.services import Services, accounts, held_audit
from tui.services.registers import open_register
from tui.store.database import is_disk_full
from tui.store.settings import create_register


def _register(path: Path) -> None:
    db = create_register(path, commune_code="03808", commune_name="Xã Mường La",
                         province_code="14")
    accounts.create_account(db, "quan.tri", "Quản Trị", "administrator", PASSWORD,
                            must_change_password=False)
    admin = Services(db, accounts.login(db, "quan.tri", PASSWORD))
    admin.children.save({"full_name": "Lò Văn Ánh", "sex": "Nam", "birth_date": "12/03/2016"})
    db.close()


@pytest.fixture
def full_disk(tmp_path: Path):
    """A register on its own tmpfs, filled to the last block; yields (register, filler)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs",
                           str(disk)], capture_output=True, text=True)
    if done.returncode != 0:
        print(f"mount refused: {done.stderr.strip()}")
        pytest.skip(f"a tmpfs cannot be mounted here ({done.stderr.strip()})")
    try:
        register = disk / "xa.db"
        _register(register)
        filler = disk / "filler"
        fd = os.open(filler, os.O_CREAT | os.O_WRONLY, 0o600)
        try:
            while True:
                os.write(fd, b"\0" * 65536)
        except OSError:
            pass
        try:
            while True:
                os.write(fd, b"\0" * 512)
        except OSError:
            pass
        finally:
            os.close(fd)
        yield register, filler
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_reading_works_a_save_is_refused_and_nothing_is_lost(full_disk, tmp_path):
    register_path, filler = full_disk
    register = open_register(register_path)
    db = register.db
    assert is_disk_full(db)
    held_before = held_audit.held()
    session = accounts.login(db, "quan.tri", PASSWORD)  # login works
    services = Services(db, session)
    found = services.children.search("lo van")  # viewing works
    child = services.children.get(found[0].id)
    assert child.full_name == "Lò Văn Ánh"
    other_disk = tmp_path / "sao-luu.db"
    assert services.backup.backup(other_disk).children == 1  # backup to another disk
    assert held_audit.held() > held_before  # the audit of those reads is held, not lost
    with pytest.raises(DiskFull) as refused:  # a save is refused plainly
        services.children.save({"id": child.id, "full_name": "Lò Văn Ánh Mới"},
                               child.version)
    assert "đầy" in str(refused.value)
    assert services.children.get(child.id, audit_view=False).full_name == "Lò Văn Ánh"
    filler.unlink()  # space returns: the same save now works, the held entries are written
    saved = services.children.save({"id": child.id, "full_name": "Lò Văn Ánh Mới"},
                                   child.version)
    assert saved.child_id == child.id
    assert held_audit.held() == 0
    logins = db.execute_sql("SELECT new FROM audit_entry WHERE action = 'login' "
                            "AND new LIKE '%held_at%'").fetchall()
    assert logins  # the login made while the disk was full is in the log
    db.close()


def test_commands_that_only_read_work_and_say_the_disk_is_full(full_disk, tmp_path):
    register_path, _ = full_disk
    other = tmp_path / "khac"
    other.mkdir()
    expected = {("check",): {0, cli_msg.EXIT_FINDINGS},
                ("audit", "--verify"): {0},
                ("users", "list"): {0},
                ("backup", "--out", str(other / "b.db")): {0},
                ("export", "full", "--out", str(other / "f.xlsx")): {0},
                ("report", "--out", str(other / "r.xlsx")): {0}}
    for words, codes in expected.items():
        split = 2 if words[0] in ("users", "export") else 1
        done = _treem(*words[:split], "--db", str(register_path), *_as(tmp_path),
                      *words[split:], tmp=tmp_path)
        assert done.returncode in codes, (words, done.stderr)
        assert "Traceback" not in done.stderr
        if words[0] not in ("export", "report"):  # those open the register their own way
            assert core_msg.DB_DISK_FULL_READ_ONLY in done.stderr, (words, done.stderr)
            assert "mục nhật ký" in done.stderr  # the held entries are not hidden
        assert not _english_words(done.stderr), done.stderr
    assert (other / "b.db").stat().st_size > 0 and (other / "f.xlsx").exists()


def test_a_write_command_on_a_full_disk_is_refused_in_vietnamese(full_disk, tmp_path):
    register_path, _ = full_disk
    done = _treem("users", "lock", "--db", str(register_path), *_as(tmp_path), "quan.tri",
                  tmp=tmp_path)
    assert done.returncode in (cli_msg.EXIT_DATABASE, cli_msg.EXIT_USAGE), done.stderr
    _assert_clean_failure(done, done.returncode)
    assert "đầy" in done.stderr


def test_the_app_says_the_disk_is_full_and_a_save_keeps_what_was_typed(tmp_path):
    import asyncio

    from test_ui_entry import CHILD_1, HOUSEHOLD, inputs, open_entry, type_fields

    from tui.app import TreemApp
    from tui.store import settings
    from tui.store.database import open_db
    from tui.widgets import StatusBar

    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs",
                           str(disk)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"a tmpfs cannot be mounted here ({done.stderr.strip()})")
    try:
        path = disk / "register.db"
        db = open_db(path, create=True)
        settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                            province_code="14", sandbox=True)
        register = Services(db, accounts.sandbox_session(db))
        register.commune.add_village("Bản Nà Sản")
        db.close()
        filler = disk / "filler"
        fd = os.open(filler, os.O_CREAT | os.O_WRONLY, 0o600)
        try:
            for size in (65536, 512):
                try:
                    while True:
                        os.write(fd, b"\0" * size)
                except OSError:
                    pass
        finally:
            os.close(fd)

        async def body() -> None:
            app = TreemApp(path)
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                shown = [n.message for n in app._notifications]
                assert core_msg.DB_DISK_FULL_READ_ONLY in shown  # said plainly at start
                await open_entry(pilot)
                await type_fields(pilot, HOUSEHOLD + CHILD_1)
                await type_fields(pilot, ["Lò Thị Hoa", "2", "01022019"])
                await pilot.press("f2")
                await pilot.pause()
                assert "đầy" in app.screen.query_one(StatusBar).message
                assert inputs(app)["full_name"].value == "Lò Thị Hoa"  # typed data kept
                filler.unlink()  # space returns: the same keystroke saves
                await pilot.press("f2")
                await pilot.pause()
                assert "0417" in app.screen.query_one(StatusBar).message

        asyncio.run(body())
        check = open_db(path)
        names = [r[0] for r in check.execute_sql("SELECT full_name FROM child ORDER BY id")]
        check.close()
        assert names == ["Lò Văn Mạnh", "Lò Thị Hoa"]
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
