"""The schema as ordered, frozen migrations.

Each step is a list of SQL statements applied in one transaction together with the
``PRAGMA user_version`` bump, so that a file is always at exactly one version. Never edit a
step that has shipped: add a new one. ``tui.store.models`` mirrors the result.
"""

from __future__ import annotations

V1 = [
    """CREATE TABLE "setting" ("id" INTEGER NOT NULL PRIMARY KEY,
        "commune_code" VARCHAR(5) NOT NULL, "commune_name" TEXT NOT NULL,
        "province_code" VARCHAR(2) NOT NULL, "sandbox" INTEGER NOT NULL,
        "idle_timeout_min" INTEGER NOT NULL, "recheck_percent" INTEGER NOT NULL,
        "created_at" TEXT NOT NULL)""",
    """CREATE TABLE "user" ("id" INTEGER NOT NULL PRIMARY KEY, "username" TEXT NOT NULL,
        "full_name" TEXT NOT NULL, "role" TEXT NOT NULL, "password_hash" TEXT NOT NULL,
        "must_change_password" INTEGER NOT NULL, "failed_logins" INTEGER NOT NULL,
        "locked_until" TEXT, "disabled" INTEGER NOT NULL, "created_at" TEXT NOT NULL,
        "password_changed_at" TEXT)""",
    'CREATE UNIQUE INDEX "user_username" ON "user" ("username")',
    """CREATE TABLE "village" ("id" INTEGER NOT NULL PRIMARY KEY,
        "commune_code" VARCHAR(5) NOT NULL, "name" TEXT NOT NULL, "name_folded" TEXT NOT NULL,
        "active" INTEGER NOT NULL)""",
    """CREATE UNIQUE INDEX "village_commune_code_name_folded"
        ON "village" ("commune_code", "name_folded")""",
    """CREATE TABLE "user_village" ("id" INTEGER NOT NULL PRIMARY KEY,
        "user_id" INTEGER NOT NULL, "village_id" INTEGER NOT NULL,
        FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE CASCADE)""",
    """CREATE UNIQUE INDEX "user_village_user_id_village_id"
        ON "user_village" ("user_id", "village_id")""",
    """CREATE TABLE "household" ("id" INTEGER NOT NULL PRIMARY KEY,
        "book_number" TEXT NOT NULL, "village_id" INTEGER, "address" TEXT NOT NULL,
        "poverty" TEXT NOT NULL, "version" INTEGER NOT NULL, "created_at" TEXT NOT NULL,
        "created_by" INTEGER, "updated_at" TEXT NOT NULL, "updated_by" INTEGER,
        FOREIGN KEY ("village_id") REFERENCES "village" ("id"),
        FOREIGN KEY ("created_by") REFERENCES "user" ("id"),
        FOREIGN KEY ("updated_by") REFERENCES "user" ("id"))""",
    'CREATE UNIQUE INDEX "household_book_number" ON "household" ("book_number")',
    'CREATE INDEX "household_village_id" ON "household" ("village_id")',
    """CREATE TABLE "caregiver" ("id" INTEGER NOT NULL PRIMARY KEY,
        "household_id" INTEGER NOT NULL, "personal_id" TEXT, "full_name" TEXT NOT NULL,
        "relation" TEXT NOT NULL,
        FOREIGN KEY ("household_id") REFERENCES "household" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "caregiver_household_id" ON "caregiver" ("household_id")',
    'CREATE INDEX "caregiver_personal_id" ON "caregiver" ("personal_id")',
    """CREATE TABLE "child" ("id" INTEGER NOT NULL PRIMARY KEY, "household_id" INTEGER,
        "village_id" INTEGER, "personal_id" TEXT, "full_name" TEXT NOT NULL,
        "name_folded" TEXT NOT NULL, "sex" TEXT, "birth_date" TEXT, "ethnicity" TEXT,
        "nationality" TEXT, "current_address" TEXT, "address_detail" TEXT, "schooling" TEXT,
        "village" TEXT, "commune_code" TEXT, "province_code" TEXT, "caregiver_id" TEXT,
        "father_name" TEXT, "mother_name" TEXT, "caregiver_name" TEXT, "death_date" TEXT,
        "issues" TEXT NOT NULL, "has_error" INTEGER NOT NULL, "has_warning" INTEGER NOT NULL,
        "state" TEXT NOT NULL, "merged_into" INTEGER, "version" INTEGER NOT NULL,
        "created_at" TEXT NOT NULL, "created_by" INTEGER, "updated_at" TEXT NOT NULL,
        "updated_by" INTEGER,
        FOREIGN KEY ("household_id") REFERENCES "household" ("id"),
        FOREIGN KEY ("village_id") REFERENCES "village" ("id"),
        FOREIGN KEY ("merged_into") REFERENCES "child" ("id"),
        FOREIGN KEY ("created_by") REFERENCES "user" ("id"),
        FOREIGN KEY ("updated_by") REFERENCES "user" ("id"))""",
    'CREATE INDEX "child_household_id" ON "child" ("household_id")',
    """CREATE TABLE "child_circumstance" ("id" INTEGER NOT NULL PRIMARY KEY,
        "child_id" INTEGER NOT NULL, "code" TEXT NOT NULL, "start_date" TEXT, "end_date" TEXT,
        "note" TEXT NOT NULL,
        FOREIGN KEY ("child_id") REFERENCES "child" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "child_circumstance_child_id" ON "child_circumstance" ("child_id")',
    """CREATE TABLE "support" ("id" INTEGER NOT NULL PRIMARY KEY, "child_id" INTEGER NOT NULL,
        "form" TEXT NOT NULL, "date" TEXT, "note" TEXT NOT NULL,
        FOREIGN KEY ("child_id") REFERENCES "child" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "support_child_id" ON "support" ("child_id")',
    """CREATE TABLE "workflow_event" ("id" INTEGER NOT NULL PRIMARY KEY,
        "child_id" INTEGER NOT NULL, "state" TEXT NOT NULL, "at" TEXT NOT NULL,
        "by_id" INTEGER, "note" TEXT NOT NULL,
        FOREIGN KEY ("child_id") REFERENCES "child" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("by_id") REFERENCES "user" ("id"))""",
    'CREATE INDEX "workflow_event_child_id" ON "workflow_event" ("child_id")',
    """CREATE TABLE "police_batch" ("id" INTEGER NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL, "created_by" INTEGER, "status" TEXT NOT NULL,
        "note" TEXT NOT NULL, FOREIGN KEY ("created_by") REFERENCES "user" ("id"))""",
    """CREATE TABLE "police_batch_row" ("id" INTEGER NOT NULL PRIMARY KEY,
        "batch_id" INTEGER NOT NULL, "row_no" INTEGER NOT NULL, "child_id" INTEGER NOT NULL,
        "id_before" TEXT, "id_verified" TEXT, "status" TEXT NOT NULL,
        FOREIGN KEY ("batch_id") REFERENCES "police_batch" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("child_id") REFERENCES "child" ("id"))""",
    """CREATE UNIQUE INDEX "police_batch_row_batch_id_row_no"
        ON "police_batch_row" ("batch_id", "row_no")""",
    'CREATE INDEX "police_batch_row_child_id" ON "police_batch_row" ("child_id")',
    """CREATE TABLE "audit_entry" ("id" INTEGER NOT NULL PRIMARY KEY, "at" TEXT NOT NULL,
        "user_id" INTEGER, "username" TEXT NOT NULL, "action" TEXT NOT NULL,
        "entity" TEXT NOT NULL, "record_id" INTEGER, "field" TEXT, "old" TEXT, "new" TEXT,
        "prev_hash" TEXT NOT NULL, "hash" TEXT NOT NULL,
        FOREIGN KEY ("user_id") REFERENCES "user" ("id"))""",
    'CREATE INDEX "audit_entry_entity_record" ON "audit_entry" ("entity", "record_id")',
    """CREATE TABLE "audit_seal" ("id" INTEGER NOT NULL PRIMARY KEY,
        "last_id" INTEGER NOT NULL, "last_hash" TEXT NOT NULL)""",
    """CREATE TABLE "draft" ("id" INTEGER NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL,
        "key" TEXT NOT NULL, "payload" TEXT NOT NULL, "updated_at" TEXT NOT NULL,
        FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE)""",
    'CREATE UNIQUE INDEX "draft_user_id_key" ON "draft" ("user_id", "key")',
]

# v2: search indexes (partial: merged records are hidden), duplicate decisions, and the
# triggers that make the audit log append-only.
V2 = [
    """CREATE INDEX "child_name_folded" ON "child" ("name_folded")
        WHERE "merged_into" IS NULL""",
    """CREATE INDEX "child_personal_id" ON "child" ("personal_id")
        WHERE "merged_into" IS NULL""",
    """CREATE INDEX "child_village_name" ON "child" ("village_id", "name_folded")
        WHERE "merged_into" IS NULL""",
    'CREATE INDEX "child_state" ON "child" ("state")',
    """CREATE TABLE "duplicate_decision" ("id" INTEGER NOT NULL PRIMARY KEY,
        "left_id" INTEGER NOT NULL, "right_id" INTEGER NOT NULL, "decision" TEXT NOT NULL,
        "by_id" INTEGER, "at" TEXT NOT NULL, "note" TEXT NOT NULL,
        FOREIGN KEY ("left_id") REFERENCES "child" ("id"),
        FOREIGN KEY ("right_id") REFERENCES "child" ("id"),
        FOREIGN KEY ("by_id") REFERENCES "user" ("id"))""",
    """CREATE UNIQUE INDEX "duplicate_decision_left_id_right_id"
        ON "duplicate_decision" ("left_id", "right_id")""",
    """CREATE TRIGGER "audit_entry_no_update" BEFORE UPDATE ON "audit_entry"
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    """CREATE TRIGGER "audit_entry_no_delete" BEFORE DELETE ON "audit_entry"
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
]

#: Ordered steps: MIGRATIONS[n - 1] brings a file from version n - 1 to n.
MIGRATIONS: list[list[str]] = [V1, V2]


def _prefix_key(row: str) -> str:
    """SQL for the first two words of ``row.name_folded`` (the whole name if shorter)."""
    s = f"({row}.name_folded || ' ')"
    return (f"substr({s}, 1, instr({s}, ' ') + instr(substr({s}, instr({s}, ' ') + 1), ' ')"
            " - 1)")


# v3: exact counts of name-prefix searches without scanning the index: the number of
# children per first-two-words key, kept by triggers (a prefix of at most two words is a
# prefix of that key, so its count is a range sum over a few hundred rows).
V3 = [
    """CREATE TABLE "name_prefix_count" ("prefix" TEXT NOT NULL PRIMARY KEY,
        "n" INTEGER NOT NULL) WITHOUT ROWID""",
    f"""INSERT INTO name_prefix_count (prefix, n)
        SELECT {_prefix_key('child')}, count(*) FROM child WHERE merged_into IS NULL
        GROUP BY 1""",
    f"""CREATE TRIGGER "child_prefix_insert" AFTER INSERT ON child
        WHEN NEW.merged_into IS NULL BEGIN
        INSERT INTO name_prefix_count (prefix, n) VALUES ({_prefix_key('NEW')}, 1)
            ON CONFLICT(prefix) DO UPDATE SET n = n + 1;
        END""",
    f"""CREATE TRIGGER "child_prefix_delete" AFTER DELETE ON child
        WHEN OLD.merged_into IS NULL BEGIN
        UPDATE name_prefix_count SET n = n - 1 WHERE prefix = {_prefix_key('OLD')};
        END""",
    f"""CREATE TRIGGER "child_prefix_update" AFTER UPDATE OF name_folded, merged_into ON child
        BEGIN
        UPDATE name_prefix_count SET n = n - 1
            WHERE OLD.merged_into IS NULL AND prefix = {_prefix_key('OLD')};
        INSERT INTO name_prefix_count (prefix, n)
            SELECT {_prefix_key('NEW')}, 1 WHERE NEW.merged_into IS NULL
            ON CONFLICT(prefix) DO UPDATE SET n = n + 1;
        END""",
]

# The same for ID-number prefixes: the first six digits (birth province, century and sex,
# birth year) are shared by most children of a commune, so an index scan would be long.
V3 += [
    """CREATE TABLE "id_prefix_count" ("prefix" TEXT NOT NULL PRIMARY KEY,
        "n" INTEGER NOT NULL) WITHOUT ROWID""",
    """INSERT INTO id_prefix_count (prefix, n)
        SELECT substr(personal_id, 1, 6), count(*) FROM child
        WHERE merged_into IS NULL AND personal_id IS NOT NULL GROUP BY 1""",
    """CREATE TRIGGER "child_id_insert" AFTER INSERT ON child
        WHEN NEW.merged_into IS NULL AND NEW.personal_id IS NOT NULL BEGIN
        INSERT INTO id_prefix_count (prefix, n) VALUES (substr(NEW.personal_id, 1, 6), 1)
            ON CONFLICT(prefix) DO UPDATE SET n = n + 1;
        END""",
    """CREATE TRIGGER "child_id_delete" AFTER DELETE ON child
        WHEN OLD.merged_into IS NULL AND OLD.personal_id IS NOT NULL BEGIN
        UPDATE id_prefix_count SET n = n - 1 WHERE prefix = substr(OLD.personal_id, 1, 6);
        END""",
    """CREATE TRIGGER "child_id_update" AFTER UPDATE OF personal_id, merged_into ON child
        BEGIN
        UPDATE id_prefix_count SET n = n - 1
            WHERE OLD.merged_into IS NULL AND OLD.personal_id IS NOT NULL
            AND prefix = substr(OLD.personal_id, 1, 6);
        INSERT INTO id_prefix_count (prefix, n)
            SELECT substr(NEW.personal_id, 1, 6), 1
            WHERE NEW.merged_into IS NULL AND NEW.personal_id IS NOT NULL
            ON CONFLICT(prefix) DO UPDATE SET n = n + 1;
        END""",
]

MIGRATIONS.append(V3)

# v4: one identity and safe drafts (issue 16).
# - ``user.unix_login``: the Unix account (the SSH login) that *is* this app account, when
#   the administrator links them; at most one app account per Unix login.
# - ``draft.version`` and ``draft.writer``: every write of a draft bumps its version and
#   names the session that wrote it, so that a session that has fallen behind (the old SSH
#   session of a dropped link, still alive after the officer reconnected) cannot overwrite
#   a newer draft (``tui.store.drafts.save_draft_if``).
V4 = [
    'ALTER TABLE "user" ADD COLUMN "unix_login" TEXT',
    """CREATE UNIQUE INDEX "user_unix_login" ON "user" ("unix_login")
        WHERE "unix_login" IS NOT NULL""",
    'ALTER TABLE "draft" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1',
    """ALTER TABLE "draft" ADD COLUMN "writer" TEXT NOT NULL DEFAULT ''""",
]

MIGRATIONS.append(V4)

# v5 (issue 12): the day a training sandbox checks its records on (the scenario's
# reference date, so that a child of a scenario written in 2025 is the age the page says);
# NULL: the real today.
V5 = ['ALTER TABLE "setting" ADD COLUMN "as_of" TEXT']

MIGRATIONS.append(V5)

# v6 (issue 9): failed logins per (user name, source terminal), for a growing delay
# instead of locking the account (which let anyone lock the administrator out). Rows
# exist for unknown names too, so the answer does not tell which accounts exist.
V6 = [
    """CREATE TABLE "login_delay" ("key" TEXT NOT NULL PRIMARY KEY,
        "failures" INTEGER NOT NULL, "last_failure" TEXT NOT NULL)""",
]

MIGRATIONS.append(V6)

# v7 (issue 9, tamper evidence for the data): each audit entry may carry the digests of
# the rows its change touched (``audit_entry.row_digest``, JSON ``{"id": digest}``, part
# of the keyed hash), and the seal names the key that seals the chain
# (``audit_seal.key_id``, a fingerprint, never the key: the key lives outside the
# database, see ``tui.store.audit_key``).
V7 = [
    'ALTER TABLE "audit_entry" ADD COLUMN "row_digest" TEXT',
    'ALTER TABLE "audit_seal" ADD COLUMN "key_id" TEXT',
]

MIGRATIONS.append(V7)

# v8 (issue 15): the review lists as partial indexes, so that a count or a first page
# reads only the children of the list instead of every record's stored issues. The
# index conditions are the review queries' own text (``tui.store.review_sql``); if the
# codes of a list ever change, add a step that drops and recreates these indexes, or
# the queries (still right) stop using them.
from tui.store.review_sql import index_statements  # noqa: E402

V8 = index_statements()

MIGRATIONS.append(V8)

# v9 (issue 13): many communes in one database. Every tenant table carries ``commune``,
# the 5-digit code of the commune whose register owns the row (``village`` keeps its
# ``commune_code``); ``user.commune`` NULL is a province account. ``setting`` holds one
# row per commune; household book numbers are unique per commune; the indexes that serve
# one commune's look-ups lead with it; the search counts (v3) are kept per commune; each
# commune has its own audit chain and seal. An existing file is back-filled from its one
# ``setting`` row. SQLite cannot add a NOT NULL column without a default, so the column
# defaults to '' here (the store always writes it: ``tui.store.tenancy``); PostgreSQL's
# form (``tui.store.postgres``) has no default.
TENANT_TABLES: tuple[str, ...] = (
    "user", "user_village", "household", "caregiver", "child", "child_circumstance",
    "support", "workflow_event", "police_batch", "police_batch_row", "audit_entry",
    "audit_seal", "draft", "duplicate_decision")
#: The commune of an existing single-commune file (its one ``setting`` row).
_FILE_COMMUNE = "coalesce((SELECT commune_code FROM setting ORDER BY id LIMIT 1), '')"


V9: list[str] = [
    *(f'ALTER TABLE "{t}" ADD COLUMN "commune" TEXT NOT NULL DEFAULT \'\''
      for t in TENANT_TABLES if t != "user"),
    'ALTER TABLE "user" ADD COLUMN "commune" TEXT',
    # The audit log is append-only: its guard is lifted for the back-fill only.
    'DROP TRIGGER "audit_entry_no_update"',
    *(f'UPDATE "{t}" SET "commune" = {_FILE_COMMUNE}' for t in TENANT_TABLES),
    """CREATE TRIGGER "audit_entry_no_update" BEFORE UPDATE ON "audit_entry"
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    'CREATE UNIQUE INDEX "setting_commune_code" ON "setting" ("commune_code")',
    'CREATE INDEX "user_commune" ON "user" ("commune")',
    'DROP INDEX "household_book_number"',
    """CREATE UNIQUE INDEX "household_commune_book_number"
        ON "household" ("commune", "book_number")""",
    'DROP INDEX "caregiver_personal_id"',
    'CREATE INDEX "caregiver_personal_id" ON "caregiver" ("commune", "personal_id")',
    'DROP INDEX "child_name_folded"',
    """CREATE INDEX "child_name_folded" ON "child" ("commune", "name_folded")
        WHERE "merged_into" IS NULL""",
    'DROP INDEX "child_personal_id"',
    """CREATE INDEX "child_personal_id" ON "child" ("commune", "personal_id")
        WHERE "merged_into" IS NULL""",
    'DROP INDEX "child_state"',
    'CREATE INDEX "child_state" ON "child" ("commune", "state")',
    *(f'DROP INDEX "{s.split(chr(34))[1]}"' for s in index_statements()),
    *index_statements(by_commune=True),
    'CREATE INDEX "police_batch_commune" ON "police_batch" ("commune", "id")',
    'CREATE INDEX "duplicate_decision_commune" ON "duplicate_decision" ("commune")',
    'CREATE INDEX "audit_entry_commune_id" ON "audit_entry" ("commune", "id")',
    # "Without support" reads the special circumstances of the session's communes only.
    """CREATE INDEX "child_circumstance_commune_code"
        ON "child_circumstance" ("commune", "code")""",
    'CREATE UNIQUE INDEX "audit_seal_commune" ON "audit_seal" ("commune")',
    # The search counts of v3, per commune.
    *(f'DROP TRIGGER "{name}"' for name in (
        "child_prefix_insert", "child_prefix_delete", "child_prefix_update",
        "child_id_insert", "child_id_delete", "child_id_update")),
    'DROP TABLE "name_prefix_count"',
    'DROP TABLE "id_prefix_count"',
    """CREATE TABLE "name_prefix_count" ("commune" TEXT NOT NULL, "prefix" TEXT NOT NULL,
        "n" INTEGER NOT NULL, PRIMARY KEY ("commune", "prefix")) WITHOUT ROWID""",
    f"""INSERT INTO name_prefix_count (commune, prefix, n)
        SELECT commune, {_prefix_key('child')}, count(*) FROM child
        WHERE merged_into IS NULL GROUP BY 1, 2""",
    f"""CREATE TRIGGER "child_prefix_insert" AFTER INSERT ON child
        WHEN NEW.merged_into IS NULL BEGIN
        INSERT INTO name_prefix_count (commune, prefix, n)
            VALUES (NEW.commune, {_prefix_key('NEW')}, 1)
            ON CONFLICT(commune, prefix) DO UPDATE SET n = n + 1;
        END""",
    f"""CREATE TRIGGER "child_prefix_delete" AFTER DELETE ON child
        WHEN OLD.merged_into IS NULL BEGIN
        UPDATE name_prefix_count SET n = n - 1
            WHERE commune = OLD.commune AND prefix = {_prefix_key('OLD')};
        END""",
    f"""CREATE TRIGGER "child_prefix_update"
        AFTER UPDATE OF name_folded, merged_into, commune ON child BEGIN
        UPDATE name_prefix_count SET n = n - 1
            WHERE OLD.merged_into IS NULL AND commune = OLD.commune
            AND prefix = {_prefix_key('OLD')};
        INSERT INTO name_prefix_count (commune, prefix, n)
            SELECT NEW.commune, {_prefix_key('NEW')}, 1 WHERE NEW.merged_into IS NULL
            ON CONFLICT(commune, prefix) DO UPDATE SET n = n + 1;
        END""",
    """CREATE TABLE "id_prefix_count" ("commune" TEXT NOT NULL, "prefix" TEXT NOT NULL,
        "n" INTEGER NOT NULL, PRIMARY KEY ("commune", "prefix")) WITHOUT ROWID""",
    """INSERT INTO id_prefix_count (commune, prefix, n)
        SELECT commune, substr(personal_id, 1, 6), count(*) FROM child
        WHERE merged_into IS NULL AND personal_id IS NOT NULL GROUP BY 1, 2""",
    """CREATE TRIGGER "child_id_insert" AFTER INSERT ON child
        WHEN NEW.merged_into IS NULL AND NEW.personal_id IS NOT NULL BEGIN
        INSERT INTO id_prefix_count (commune, prefix, n)
            VALUES (NEW.commune, substr(NEW.personal_id, 1, 6), 1)
            ON CONFLICT(commune, prefix) DO UPDATE SET n = n + 1;
        END""",
    """CREATE TRIGGER "child_id_delete" AFTER DELETE ON child
        WHEN OLD.merged_into IS NULL AND OLD.personal_id IS NOT NULL BEGIN
        UPDATE id_prefix_count SET n = n - 1
            WHERE commune = OLD.commune AND prefix = substr(OLD.personal_id, 1, 6);
        END""",
    """CREATE TRIGGER "child_id_update"
        AFTER UPDATE OF personal_id, merged_into, commune ON child BEGIN
        UPDATE id_prefix_count SET n = n - 1
            WHERE OLD.merged_into IS NULL AND OLD.personal_id IS NOT NULL
            AND commune = OLD.commune AND prefix = substr(OLD.personal_id, 1, 6);
        INSERT INTO id_prefix_count (commune, prefix, n)
            SELECT NEW.commune, substr(NEW.personal_id, 1, 6), 1
            WHERE NEW.merged_into IS NULL AND NEW.personal_id IS NOT NULL
            ON CONFLICT(commune, prefix) DO UPDATE SET n = n + 1;
        END""",
]

MIGRATIONS.append(V9)

# v10 (issue 13): row-level security on PostgreSQL, keyed on the session's communes
# (``tui.store.postgres``). SQLite has no such thing: one file is one commune, and the
# store's own conditions (``tui.store.tenancy``) are the only ones; nothing changes.
V10: list[str] = []

MIGRATIONS.append(V10)
