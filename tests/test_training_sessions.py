"""Training sessions: one sandbox per trainee, saves through the services, the room's score."""

from __future__ import annotations

import json
import stat
import unicodedata

import pytest
from training_kit import type_books

from tui.errors import InvalidInput, LoginFailed, PermissionDenied
from tui.services import Services, accounts
from tui.services import training as sessions
from tui.services.registers import open_register
from tui.training.loader import find_scenario, load_scenario

SCENARIO = "01-ho-dau-tien"


def test_start_makes_one_marked_sandbox_and_account_per_trainee(tmp_path):
    started = sessions.start_session(tmp_path / "buoi1", SCENARIO, 3)
    folder = tmp_path / "buoi1"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for name in (sessions.MANIFEST, sessions.PASSWORDS, "hocvien01.treem"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    manifest = json.loads((folder / sessions.MANIFEST).read_text(encoding="utf-8"))
    assert [t["username"] for t in manifest["trainees"]] == ["hocvien01", "hocvien02",
                                                             "hocvien03"]
    assert "password" not in json.dumps(manifest)
    for username, password in started.passwords:
        register = open_register(folder / f"{username}.treem")
        try:
            assert register.sandbox
            assert register.settings.commune_code == load_scenario(
                find_scenario(SCENARIO)).commune_code
            assert accounts.login(register.db, username, password).username == username
            admin = accounts.sandbox_session(register.db)
            with pytest.raises(PermissionDenied, match="không được lập danh sách gửi công an"):
                Services(register.db, admin).police.open_batch([])
        finally:
            register.close()


def test_refusals_leave_nothing(tmp_path):
    with pytest.raises(InvalidInput, match="Số học viên phải từ 1"):
        sessions.start_session(tmp_path / "a", SCENARIO, 0)
    with pytest.raises(InvalidInput, match="Không tìm thấy kịch bản"):
        sessions.start_session(tmp_path / "a", "khong-co", 2)
    assert not (tmp_path / "a").exists()
    (tmp_path / "b").mkdir()
    with pytest.raises(InvalidInput, match="đã có"):
        sessions.start_session(tmp_path / "b", SCENARIO, 2)
    with pytest.raises(InvalidInput, match="không chứa buổi tập huấn"):
        sessions.session_status(tmp_path / "b")


def test_status_scores_each_trainee_against_the_key(tmp_path):
    started = sessions.start_session(tmp_path / "buoi", SCENARIO, 3)
    session = started.session
    scenario = session.scenario()
    passwords = dict(started.passwords)
    expected = len(scenario.key.children)

    def no_diacritics(kid):
        if kid["full_name"]:
            folded = unicodedata.normalize("NFD", kid["full_name"])
            kid["full_name"] = "".join(c for c in folded if unicodedata.category(c) != "Mn")

    type_books(session.folder, "hocvien01", passwords["hocvien01"], scenario)
    type_books(session.folder, "hocvien02", passwords["hocvien02"], scenario, change=no_diacritics)
    status = sessions.session_status(session.folder)
    first, second, third = status.trainees
    assert (first.children_entered, first.children_expected) == (expected, expected)
    assert first.result.accuracy == 1.0
    assert not first.result.to_fix
    assert second.children_entered == expected
    assert {e.field for e in second.result.to_fix} == {"full_name"}
    assert len(second.result.to_fix) == expected
    assert second.result.correct == second.result.checked - expected
    assert third.children_entered == 0
    assert third.result.accuracy == 0.0
    assert len(third.result.missed) == expected

    out = sessions.export_session(status, tmp_path / "ket-qua.xlsx", trainer="GV",
                                  pass_mark=0.9)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_sandbox_checks_records_on_the_scenarios_day_not_today(tmp_path):
    """A child 15 on the scenario's reference date is not flagged 16 and over, whatever
    the real date; a real register still checks on today."""
    started = sessions.start_session(tmp_path / "buoi", SCENARIO, 1)
    scenario = started.session.scenario()
    day = scenario.reference_date
    born = day.replace(year=day.year - 16, day=day.day + 1)  # 16 the day after
    register = open_register(started.session.folder / "hocvien01.treem")
    try:
        assert register.settings.as_of == day
        services = Services(register.db, accounts.login(register.db, *started.passwords[0]))
        assert services.ctx.today() == day
        saved = services.households.save(
            {"book_number": "T-1", "village": scenario.pages[0].village, "address": "x"},
            [{"full_name": "Lò Văn Thử", "sex": "1", "birth_date": born.isoformat(),
              "ethnicity": "03", "nationality": "VN"}], [])
        child = services.children.get(saved.children[0].child_id)
        assert "age.over_16" not in {i.code for i in child.issues}
        assert services.review.count("aged_out") == 0
    finally:
        register.close()


def _real_register(path):
    from libchild import catalog
    from tui.services.registers import create_register

    create_register(path, catalog.load().communes.get("03808"), admin="quantri",
                    admin_name="Quản trị", password="Mat-khau-dai-1")


def _point_at(folder, username, register):
    manifest = json.loads((folder / sessions.MANIFEST).read_text(encoding="utf-8"))
    for trainee in manifest["trainees"]:
        if trainee["username"] == username:
            trainee["register"] = register
    (folder / sessions.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def test_a_trainee_joins_only_their_own_sandbox_never_a_real_register(tmp_path):
    started = sessions.start_session(tmp_path / "buoi", SCENARIO, 2)
    folder = started.session.folder
    seat = sessions.join_session(folder, "hocvien02")
    assert seat.register == (folder / "hocvien02.treem").resolve()

    with pytest.raises(InvalidInput, match="không có học viên «hocvien09»; các học viên: "
                                           "hocvien01, hocvien02"):
        sessions.join_session(folder, "hocvien09")
    # A session file edited to send a trainee to the commune's real register, next to the
    # session or in the folder itself, is refused before anything opens it for typing.
    _real_register(tmp_path / "that.treem")
    _point_at(folder, "hocvien01", "../that.treem")
    with pytest.raises(InvalidInput, match="phải nằm trong thư mục buổi tập huấn"):
        sessions.join_session(folder, "hocvien01")
    _real_register(folder / "real.treem")
    _point_at(folder, "hocvien01", "real.treem")
    with pytest.raises(InvalidInput, match="không phải dữ liệu thử nghiệm: buổi tập huấn "
                                           "không bao giờ mở sổ thật"):
        sessions.join_session(folder, "hocvien01")
    # The trainee's account lives in their sandbox only: the real register does not know it.
    register = open_register(folder / "real.treem")
    try:
        with pytest.raises(LoginFailed, match="Tên đăng nhập hoặc mật khẩu không đúng"):
            accounts.login(register.db, *started.passwords[0])
    finally:
        register.close()


def test_a_trainee_cannot_make_a_police_list_from_the_sandbox(tmp_path):
    started = sessions.start_session(tmp_path / "buoi", SCENARIO, 1)
    register = open_register(started.session.folder / "hocvien01.treem")
    try:
        trainee = Services(register.db, accounts.login(register.db, *started.passwords[0]))
        with pytest.raises(PermissionDenied, match="không được lập danh sách gửi công an"):
            trainee.police.open_batch([])
        with pytest.raises(PermissionDenied, match="không được lập danh sách gửi công an"):
            trainee.transfer.export_police(tmp_path / "ds-cong-an.xlsx")
        assert not (tmp_path / "ds-cong-an.xlsx").exists()
    finally:
        register.close()


def test_measures_are_appended_privately_and_a_cut_line_is_skipped(tmp_path):
    from datetime import UTC, datetime

    from tui.training.keystrokes import KeystrokeMeasure

    started = sessions.start_session(tmp_path / "buoi", SCENARIO, 1)
    session = started.session
    at = datetime(2025, 9, 1, 8, 0, tzinfo=UTC)
    sessions.write_measures(session.folder, "hocvien01", [KeystrokeMeasure(1, 1, at, 5.0, 40, 2)])
    path = session.folder / "hocvien01.phim.jsonl"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with path.open("a", encoding="utf-8") as out:
        out.write('{"record_id": 2, "order": 2, "sta')  # the link dropped mid-write
    sessions.write_measures(session.folder, "hocvien01", [KeystrokeMeasure(3, 1, at, 1.5, 9, 0)])
    assert [(m.record_id, m.keys) for m in sessions.read_measures(
        session, session.trainees[0])] == [(1, 40)]


def test_a_sandbox_export_is_refused_by_a_real_register(tmp_path):
    """The trainee's typing can travel as a spreadsheet; a real register will not take it."""
    started = sessions.start_session(tmp_path / "buoi", SCENARIO, 1)
    scenario = started.session.scenario()
    username, password = started.passwords[0]
    type_books(started.session.folder, username, password, scenario)
    out = tmp_path / "tu-so-thu.xlsx"
    register = open_register(started.session.folder / f"{username}.treem")
    try:
        trainee = Services(register.db, accounts.login(register.db, username, password))
        assert trainee.transfer.export_full(out).rows == len(scenario.key.children)
    finally:
        register.close()
    _real_register(tmp_path / "that.treem")
    real = open_register(tmp_path / "that.treem")
    try:
        from tui.errors import PasswordChangeRequired

        with pytest.raises(PasswordChangeRequired):
            accounts.login(real.db, "quantri", "Mat-khau-dai-1")
        admin = Services(real.db, accounts.change_password(real.db, "quantri", "Mat-khau-dai-1",
                                                           "Mat-khau-moi-2"))
        with pytest.raises(InvalidInput, match=r"xuất từ dữ liệu thử nghiệm.*không nhập vào sổ "
                                               r"thật của xã"):
            admin.transfer.plan_children_import(out)
        assert real.db.execute_sql("SELECT count(*) FROM child").fetchone()[0] == 0
    finally:
        real.close()


def test_the_room_reader_reads_again_only_the_sandboxes_written_since(tmp_path):
    """The dashboard's reading every few seconds: an unchanged trainee is not re-read nor
    re-scored; a save or a keystroke measure makes only that trainee's row read again, and
    what it gives is what a reading from scratch gives."""
    from datetime import UTC, datetime

    from tui.training.keystrokes import KeystrokeMeasure

    started = sessions.start_session(tmp_path / "buoi", SCENARIO, 3)
    folder = started.session.folder
    scenario = started.session.scenario()
    passwords = dict(started.passwords)
    reader = sessions.RoomReader(folder)
    first = reader.read()
    assert reader.sandboxes_read == 3
    assert reader.read() == first
    assert reader.sandboxes_read == 3  # nothing written: nothing read

    type_books(folder, "hocvien02", passwords["hocvien02"], scenario)
    second = reader.read()
    assert reader.sandboxes_read == 4
    assert second == sessions.session_status(folder)
    assert [t.children_entered for t in second.trainees] == [0, len(scenario.key.children), 0]
    assert second.trainees[0] is first.trainees[0]

    sessions.write_measures(folder, "hocvien02", [KeystrokeMeasure(
        1, 1, datetime(2025, 9, 1, 8, 0, tzinfo=UTC), 30.0, 42, 1)])
    third = reader.read()
    assert reader.sandboxes_read == 5
    assert third.trainees[1].result.keys == 42
    assert third == sessions.session_status(folder)

    assert reader.read() == third and reader.sandboxes_read == 5
    assert reader.read(everything=True) == third  # F5: every sandbox read again
    assert reader.sandboxes_read == 8
