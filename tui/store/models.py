"""The register's tables as peewee models.

The tables are created by the frozen DDL in ``tui.store.migrations`` (so that an old file
migrates step by step); these models mirror that DDL and a test checks they agree.
Dates are ISO ``yyyy-mm-dd`` text, timestamps ISO UTC text to the millisecond.
``Child`` holds the libchild canonical fields as columns plus ``name_folded``
(``libchild.text.fold`` of the full name), indexed for diacritic-insensitive prefix search.
"""

from __future__ import annotations

from typing import ClassVar

import peewee as pw

from tui.store import tenancy

__all__ = [
    "MODELS",
    "AuditEntry",
    "AuditSeal",
    "Caregiver",
    "Child",
    "ChildCircumstance",
    "Draft",
    "DuplicateDecision",
    "FlagField",
    "Household",
    "PoliceBatch",
    "PoliceBatchRow",
    "ScopedModel",
    "Setting",
    "Support",
    "TenantModel",
    "User",
    "UserVillage",
    "Village",
    "WorkflowEvent",
    "bind",
]

proxy = pw.DatabaseProxy()


class FlagField(pw.IntegerField):
    """A yes/no column stored as 0/1 (``INTEGER`` on both SQLite and PostgreSQL, so that
    hand-written SQL such as ``sum(has_error)`` reads the same on both); read as bool."""

    def db_value(self, value: object) -> int | None:
        return None if value is None else int(bool(value))

    def python_value(self, value: object) -> bool | None:
        return None if value is None else bool(value)


class BaseModel(pw.Model):
    class Meta:
        database = proxy
        legacy_table_names = False


def _has_commune(data: dict[object, object], column: str) -> bool:
    return any((key if isinstance(key, str) else getattr(key, "column_name", None)) == column
               for key in data)


class ScopedModel(BaseModel):
    """A table whose rows belong to one commune (schema v9): every select, update and
    delete through peewee reads only the communes the database is bound to, and every
    insert is stamped with the bound commune (``tui.store.tenancy``). This is the one
    place the models enforce it; hand-written SQL uses ``tenancy.where``/``stamp``.
    ``tenant_column`` names the commune column (``village`` keeps ``commune_code``)."""

    tenant_column: ClassVar[str] = "commune"

    @classmethod
    def _tenant_condition(cls) -> pw.Expression | None:
        communes = tenancy.current(cls._meta.database).communes
        if communes is None:
            return None
        column = cls._meta.columns[cls.tenant_column]
        if len(communes) == 1:
            return column == next(iter(communes))
        return column.in_(sorted(communes))

    @classmethod
    def select(cls, *fields: object) -> pw.ModelSelect:
        query = super().select(*fields)
        condition = cls._tenant_condition()
        return query if condition is None else query.where(condition)

    @classmethod
    def update(cls, __data: object = None, **update: object) -> pw.ModelUpdate:
        query = super().update(__data, **update)
        condition = cls._tenant_condition()
        return query if condition is None else query.where(condition)

    @classmethod
    def delete(cls) -> pw.ModelDelete:
        query = super().delete()
        condition = cls._tenant_condition()
        return query if condition is None else query.where(condition)

    @classmethod
    def insert(cls, __data: object = None, **insert: object) -> pw.ModelInsert:
        data = dict(__data or {}, **insert)  # type: ignore[call-overload]
        if not _has_commune(data, cls.tenant_column):
            data[cls.tenant_column] = tenancy.stamp(cls._meta.database)
        return super().insert(data)

    @classmethod
    def insert_many(cls, rows: object, fields: object = None) -> pw.ModelInsert:
        if fields is not None:
            raise TypeError("tenant rows are inserted as dicts (the commune is stamped)")
        column = cls.tenant_column
        commune = tenancy.stamp(cls._meta.database)
        return super().insert_many([row if _has_commune(row, column) else {**row, column: commune}
                                    for row in rows])  # type: ignore[attr-defined]

    @classmethod
    def all_communes(cls, *fields: object) -> pw.ModelSelect:
        """A select over every commune of the database, whatever is bound: only for what
        is looked up before a commune is known (an account at login)."""
        return super().select(*fields)


class TenantModel(ScopedModel):
    """A tenant table with its ``commune`` column (the 5-digit commune code)."""

    commune = pw.TextField()


class Setting(BaseModel):
    """A commune of the database and its options (one row per commune, schema v9; a
    commune's own file has one row, id 1)."""

    commune_code = pw.CharField(max_length=5, unique=True)
    commune_name = pw.TextField()
    province_code = pw.CharField(max_length=2)
    sandbox = FlagField(default=False)
    idle_timeout_min = pw.IntegerField(default=15)
    recheck_percent = pw.IntegerField(default=5)
    created_at = pw.TextField()
    as_of = pw.TextField(null=True)  # ISO day a training sandbox validates on (v5)


class Village(ScopedModel):
    """A village (thôn/xóm/bản/tổ dân phố) of the commune, kept by its administrator."""

    tenant_column: ClassVar[str] = "commune_code"

    commune_code = pw.CharField(max_length=5)
    name = pw.TextField()
    name_folded = pw.TextField()
    active = FlagField(default=True)

    class Meta:
        indexes = ((("commune_code", "name_folded"), True),)


class User(TenantModel):
    """A person with an account; never shared. ``commune`` None: a province account,
    read (and changed) only by a province binding."""

    commune = pw.TextField(null=True)

    @classmethod
    def _tenant_condition(cls) -> pw.Expression | None:
        condition = super()._tenant_condition()
        bound = tenancy.current(cls._meta.database)
        if condition is not None and bound.commune is None and bound.communes:
            return condition | cls.commune.is_null()  # a province session
        return condition
    username = pw.TextField(unique=True)
    full_name = pw.TextField()
    role = pw.TextField()
    password_hash = pw.TextField()
    must_change_password = FlagField(default=True)
    failed_logins = pw.IntegerField(default=0)
    locked_until = pw.TextField(null=True)
    disabled = FlagField(default=False)
    created_at = pw.TextField()
    password_changed_at = pw.TextField(null=True)
    unix_login = pw.TextField(null=True)  # the linked Unix (SSH) account, unique


class UserVillage(TenantModel):
    """Villages assigned to a collaborator."""

    user = pw.ForeignKeyField(User, on_delete="CASCADE")
    village = pw.ForeignKeyField(Village, on_delete="CASCADE")

    class Meta:
        indexes = ((("user", "village"), True),)


class Household(TenantModel):
    """One household book (Sổ theo dõi trẻ em trong gia đình)."""

    book_number = pw.TextField()
    village = pw.ForeignKeyField(Village, null=True)
    address = pw.TextField(default="")
    poverty = pw.TextField(default="none")  # none / poor / near_poor
    version = pw.IntegerField(default=1)
    created_at = pw.TextField()
    created_by = pw.ForeignKeyField(User, null=True, column_name="created_by")
    updated_at = pw.TextField()
    updated_by = pw.ForeignKeyField(User, null=True, column_name="updated_by")

    class Meta:
        indexes = ((("commune", "book_number"), True),)


class Caregiver(TenantModel):
    """A parent or guardian in a household."""

    household = pw.ForeignKeyField(Household, on_delete="CASCADE")
    personal_id = pw.TextField(null=True, index=True)
    full_name = pw.TextField()
    relation = pw.TextField()  # father / mother / guardian


class Child(TenantModel):
    """A child: the libchild canonical fields, the workflow state and bookkeeping."""

    household = pw.ForeignKeyField(Household, null=True)
    village_ref = pw.ForeignKeyField(Village, null=True, column_name="village_id")
    personal_id = pw.TextField(null=True)
    full_name = pw.TextField()
    name_folded = pw.TextField()
    sex = pw.TextField(null=True)
    birth_date = pw.TextField(null=True)
    ethnicity = pw.TextField(null=True)
    nationality = pw.TextField(null=True)
    current_address = pw.TextField(null=True)
    address_detail = pw.TextField(null=True)
    schooling = pw.TextField(null=True)
    village = pw.TextField(null=True)
    commune_code = pw.TextField(null=True)
    province_code = pw.TextField(null=True)
    caregiver_id = pw.TextField(null=True)
    father_name = pw.TextField(null=True)
    mother_name = pw.TextField(null=True)
    caregiver_name = pw.TextField(null=True)
    death_date = pw.TextField(null=True)
    issues = pw.TextField(default="[]")  # JSON list of {code, severity, field}
    has_error = FlagField(default=False)
    has_warning = FlagField(default=False)
    state = pw.TextField(default="entered")
    merged_into = pw.ForeignKeyField("self", null=True, column_name="merged_into")
    version = pw.IntegerField(default=1)
    created_at = pw.TextField()
    created_by = pw.ForeignKeyField(
        User, null=True, column_name="created_by", backref="children_created"
    )
    updated_at = pw.TextField()
    updated_by = pw.ForeignKeyField(
        User, null=True, column_name="updated_by", backref="children_updated"
    )


class ChildCircumstance(TenantModel):
    """A special / at-risk / other circumstance of a child, with its period."""

    child = pw.ForeignKeyField(Child, on_delete="CASCADE", backref="circumstance_rows")
    code = pw.TextField()
    start_date = pw.TextField(null=True)
    end_date = pw.TextField(null=True)
    note = pw.TextField(default="")


class Support(TenantModel):
    """A form of support a child received, with its date."""

    child = pw.ForeignKeyField(Child, on_delete="CASCADE", backref="support_rows")
    form = pw.TextField()
    date = pw.TextField(null=True)
    note = pw.TextField(default="")


class WorkflowEvent(TenantModel):
    """One step of a child's workflow (DOMAIN.md §1)."""

    child = pw.ForeignKeyField(Child, on_delete="CASCADE", backref="events")
    state = pw.TextField()
    at = pw.TextField()
    by = pw.ForeignKeyField(User, null=True, column_name="by_id")
    note = pw.TextField(default="")


class PoliceBatch(TenantModel):
    """A verification list handed to the commune police."""

    created_at = pw.TextField()
    created_by = pw.ForeignKeyField(User, null=True, column_name="created_by")
    status = pw.TextField(default="open")  # open / sent / returned
    note = pw.TextField(default="")


class PoliceBatchRow(TenantModel):
    """One child on a police verification list, with the number before and as verified."""

    batch = pw.ForeignKeyField(PoliceBatch, on_delete="CASCADE", backref="rows")
    row_no = pw.IntegerField()
    child = pw.ForeignKeyField(Child)
    id_before = pw.TextField(null=True)
    id_verified = pw.TextField(null=True)
    status = pw.TextField(default="pending")  # pending / verified / not_found / corrected

    class Meta:
        indexes = ((("batch", "row_no"), True),)


class AuditEntry(TenantModel):
    """Append-only, hash-chained log line (never updated or deleted: triggers forbid it)."""

    at = pw.TextField()
    user = pw.ForeignKeyField(User, null=True, column_name="user_id")
    username = pw.TextField(default="")
    action = pw.TextField()
    entity = pw.TextField(default="")
    record_id = pw.IntegerField(null=True)
    field = pw.TextField(null=True)
    old = pw.TextField(null=True)
    new = pw.TextField(null=True)
    prev_hash = pw.TextField()
    hash = pw.TextField()
    row_digest = pw.TextField(null=True)  # JSON {"id": digest} of rows touched (v7)


class AuditSeal(TenantModel):
    """The last audit entry id and hash, kept apart so that deleting the tail is detected."""

    last_id = pw.IntegerField()
    last_hash = pw.TextField()
    key_id = pw.TextField(null=True)  # fingerprint of the chain's key (v7), never the key


class Draft(TenantModel):
    """Unsaved form state of one user (``key`` names the form and record)."""

    user = pw.ForeignKeyField(User, on_delete="CASCADE")
    key = pw.TextField()
    payload = pw.TextField()
    updated_at = pw.TextField()
    version = pw.IntegerField(default=1)  # bumped by every write
    writer = pw.TextField(default="")  # the session stamp of the last write

    class Meta:
        indexes = ((("user", "key"), True),)


class DuplicateDecision(TenantModel):
    """A person's decision on a candidate duplicate pair (left id < right id)."""

    left = pw.ForeignKeyField(Child, column_name="left_id", backref="+")
    right = pw.ForeignKeyField(Child, column_name="right_id", backref="+")
    decision = pw.TextField()  # same / different
    by = pw.ForeignKeyField(User, null=True, column_name="by_id")
    at = pw.TextField()
    note = pw.TextField(default="")

    class Meta:
        indexes = ((("left", "right"), True),)


MODELS: tuple[type[BaseModel], ...] = (
    Setting,
    Village,
    User,
    UserVillage,
    Household,
    Caregiver,
    Child,
    ChildCircumstance,
    Support,
    WorkflowEvent,
    PoliceBatch,
    PoliceBatchRow,
    AuditEntry,
    AuditSeal,
    Draft,
    DuplicateDecision,
)


def bind(db: pw.Database) -> None:
    """Point every model at ``db``."""
    proxy.initialize(db)
