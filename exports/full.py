"""The full export: every child with every field, codes beside names.

xlsxwriter writes the workbook and :mod:`exports.sheet_stream` streams the rows into
it, so that memory stays flat and 300,000 children take well under a minute (see
docs/benchmarks.md, "Full export"). Ethnicity, circumstances and supports are sensitive
(NĐ 13/2023, Luật 91/2025/QH15): their columns are written only when the caller says
the user's role may see them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from exports import messages
from exports.atomic import atomic_path
from exports.labels import CodeNames, as_date, format_day
from exports.progress import Progress
from exports.sheet_stream import column_letter, excel_serial, splice_rows, text_node
from exports.xlsx_style import new_workbook

__all__ = ["KEYWORDS", "SANDBOX_KEYWORD", "SENSITIVE_FIELDS", "full_columns", "write_full"]

#: The workbook's keywords (document properties): the importer knows its own export by
#: them, and they repeat which ethnicity table the code column uses.
KEYWORDS = "treem:full-export; ethnicity:1979"
#: Added to the keywords of an export of a sandbox (demo, training): its children are
#: made up, and a real register refuses to import them.
SANDBOX_KEYWORD = "treem:sandbox"

#: Canonical fields holding sensitive personal data.
SENSITIVE_FIELDS = frozenset({"ethnicity", "circumstances", "supports"})

# field -> catalogue whose name is written beside the code
_CODED = {
    "sex": "sexes",
    "ethnicity": "ethnicities",
    "nationality": "nationalities",
    "schooling": "schooling",
    "commune_code": "communes",
    "province_code": "provinces",
}
_ORDER = (
    "personal_id", "full_name", "sex", "birth_date", "ethnicity", "nationality",
    "current_address", "address_detail", "schooling", "village", "commune_code",
    "province_code", "caregiver_id", "father_name", "mother_name", "caregiver_name",
    "circumstances", "supports", "death_date",
)


def full_columns(
    sensitive: bool, extra: Sequence[tuple[str, str]] = ()
) -> list[tuple[str, str, str]]:
    """The columns of the full export as ``(header, field, kind)``.

    ``kind`` is ``code``, ``name`` (the catalogue name of the code), ``date``, ``id``,
    ``text``, ``circ_codes``, ``circ_names`` or ``supports``.
    """
    columns: list[tuple[str, str, str]] = []
    for name in _ORDER:
        if name in SENSITIVE_FIELDS and not sensitive:
            continue
        label = messages.FIELD_LABELS[name]
        lowered = label[0].lower() + label[1:]
        if name == "ethnicity":  # the code column states its table, so it re-imports
            columns.append((messages.text("full.ethnicity_code"), name, "code"))
            columns.append((label, name, "name"))
        elif name in _CODED:
            columns.append((messages.text("full.code_of", label=lowered), name, "code"))
            columns.append((label, name, "name"))
        elif name in ("birth_date", "death_date"):
            columns.append((label, name, "date"))
        elif name in ("personal_id", "caregiver_id"):
            columns.append((label, name, "id"))
        elif name == "circumstances":
            columns.append((messages.text("full.code_of", label=lowered), name, "circ_codes"))
            columns.append((label, name, "circ_names"))
        elif name == "supports":
            columns.append((label, name, "supports"))
        else:
            columns.append((label, name, "text"))
    columns.extend((header, key, "text") for key, header in extra)
    return columns


def write_full(
    out: str | os.PathLike[str],
    children: Iterable[Mapping[str, Any]],
    *,
    sensitive: bool = False,
    extra: Sequence[tuple[str, str]] = (),
    total: int | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    scratch: str | os.PathLike[str] | None = None,
    sandbox: bool = False,
) -> int:
    """Write ``children`` (canonical dicts) to ``out``; return the number of rows.

    ``sandbox``: the children come from a sandbox register; the keywords say so
    (:data:`SANDBOX_KEYWORD`).

    ``extra`` adds ``(key, header)`` columns read from each dict as text (for example
    the workflow state). The file appears only when complete (atomic, mode 0600);
    ``cancel()`` returning True stops the export and leaves nothing behind. Rows are
    streamed (:mod:`exports.sheet_stream`): memory does not grow with the row count.
    Partial and scratch files live in a work folder of ``scratch``, the private scratch
    root (:mod:`exports.scratch`), never beside ``out``.
    """
    names = CodeNames()
    columns = full_columns(sensitive, extra)
    progress = Progress(on_progress, cancel, total=total, every=2000)
    count = 0
    with atomic_path(out, scratch=scratch) as tmp:
        envelope = os.path.join(tmp.parent, "envelope.xlsx")
        book, styles = new_workbook(envelope)
        keywords = f"{KEYWORDS}; {SANDBOX_KEYWORD}" if sandbox else KEYWORDS
        book.set_properties({"title": messages.text("full.sheet"), "keywords": keywords})
        sheet = book.add_worksheet(messages.text("full.sheet"))
        kinds_style = {"date": styles["date"], "id": styles["text"], "code": styles["text"]}
        for col, (header, _name, kind) in enumerate(columns):
            sheet.write_string(0, col, header, styles["header"])
            width = 12 if kind in ("code", "date", "circ_codes") else 24
            sheet.set_column(col, col, width, kinds_style.get(kind, styles["cell"]))
        sheet.freeze_panes(1, 2)
        book.close()
        plan = [
            (f'<c r="{column_letter(col)}', _getter(kind, name, names),
             f'" s="{kinds_style.get(kind, styles["cell"]).xf_index}"')
            for col, (_header, name, kind) in enumerate(columns)
        ]

        def rows() -> Iterator[str]:
            nonlocal count
            for count, child in enumerate(children, start=1):
                number = str(count + 1)
                parts = [f'<row r="{number}">']
                add = parts.append
                for start, get, style in plan:
                    value = get(child)
                    if value is None:
                        continue
                    if type(value) is int:  # a date's serial number
                        add(f"{start}{number}{style}><v>{value}</v></c>")
                    else:
                        add(f'{start}{number}{style} t="inlineStr"><is>{text_node(value)}</is></c>')
                add("</row>")
                yield "".join(parts)
                progress.step()

        splice_rows(envelope, tmp, "xl/worksheets/sheet1.xml", rows())
    progress.finish()
    return count


def _getter(kind: str, name: str, names: CodeNames) -> Callable[[Mapping[str, Any]], Any]:
    """A function giving a column's cell: text, an Excel date serial (int) or None."""
    if kind == "name":
        catalogue = _CODED[name]
        return lambda child: names.name(catalogue, child.get(name))
    if kind == "date":
        def date_cell(child: Mapping[str, Any]) -> Any:
            value = child.get(name)
            if value is None or value == "":
                return None
            day = as_date(value)
            return str(value) if day is None else excel_serial(day)
        return date_cell
    if kind == "circ_codes":
        def codes_cell(child: Mapping[str, Any]) -> str | None:
            return "; ".join(_codes(child.get(name))) or None
        return codes_cell
    if kind == "circ_names":
        def names_cell(child: Mapping[str, Any]) -> str | None:
            labels = (names.name("circumstances", c) or c for c in _codes(child.get(name)))
            return "; ".join(labels) or None
        return names_cell
    if kind == "supports":
        def supports_cell(child: Mapping[str, Any]) -> str | None:
            items = child.get(name) or ()
            return "; ".join(_support_text(s, names) for s in items) or None
        return supports_cell

    def text_cell(child: Mapping[str, Any]) -> str | None:
        value = child.get(name)
        return None if value is None or value == "" else str(value)
    return text_cell


def _codes(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.replace(",", ";").split(";") if v.strip()]
    result = []
    for item in value:
        if isinstance(item, str):
            result.append(item)
        elif isinstance(item, Mapping):
            result.append(str(item.get("code", "")))
        else:
            result.append(str(getattr(item, "code", item)))
    return result


def _support_text(item: Any, names: CodeNames) -> str:
    if isinstance(item, Mapping):
        form, day = item.get("form"), item.get("date")
    else:
        form, day = getattr(item, "form", item), getattr(item, "date", None)
    label = names.name("supports", form) or str(form)
    return f"{form} {label} ({format_day(day)})" if day else f"{form} {label}"
