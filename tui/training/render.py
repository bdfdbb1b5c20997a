"""A trainee's result as Vietnamese text (lines that fit an 80-column terminal when the
values are short): accuracy, children missed and extra, the exact fields to fix, the
lessons caught or not, and accuracy per field. Texts live in ``tui.messages.training``.
"""

from __future__ import annotations

from libchild.dates import format_date
from tui.messages import training as msg
from tui.training.results import ErrorKind, TraineeResult

__all__ = ["render_result"]


def render_result(result: TraineeResult) -> str:
    """The whole result of one trainee as text, one item per line."""
    total = len(result.children)
    found = total - len(result.missed)
    lines = [
        msg.RESULT_TITLE.format(trainee=result.trainee, scenario=result.scenario_title,
                                day=format_date(result.reference_date)),
        msg.RESULT_ACCURACY.format(accuracy=msg.percent(result.accuracy),
                                   correct=result.correct, checked=result.checked),
        msg.RESULT_CHILDREN.format(found=found, total=total, missed=len(result.missed),
                                   extra=len(result.extra)),
        msg.RESULT_LESSONS.format(caught=result.lessons_caught, total=len(result.lessons)),
    ]
    if result.keys_per_child is None or result.seconds_per_child is None:
        lines.append(msg.RESULT_NO_TYPING)
    else:
        lines.append(msg.RESULT_TYPING.format(
            time=msg.duration(result.seconds), keys=msg.decimal(result.keys_per_child),
            seconds=msg.decimal(result.seconds_per_child)))
    lines += ["", msg.RESULT_TO_FIX if result.to_fix else msg.RESULT_NOTHING_TO_FIX]
    for error in result.to_fix:
        values = {"book": error.book_number or msg.NO_BOOK, "field": msg.field_label(error.field),
                  "entered": error.entered or msg.EMPTY_VALUE,
                  "expected": error.expected or msg.EMPTY_VALUE,
                  "kind": msg.ERROR_KINDS[error.kind.value]}
        if error.order:
            lines.append(msg.RESULT_FIX_CHILD.format(
                order=error.order, name=error.child_name or msg.NO_NAME, **values))
        else:
            lines.append(msg.RESULT_FIX_HOUSEHOLD.format(**values))
    if result.missed:
        lines += ["", msg.RESULT_MISSED]
        lines += [msg.RESULT_MISSED_CHILD.format(book=c.ref.book_number, order=c.ref.order,
                                                 name=c.name or msg.NO_NAME)
                  for c in result.missed]
    if result.missed_books:
        lines.append(msg.RESULT_MISSED_BOOKS.format(books=", ".join(result.missed_books)))
    if result.extra:
        lines += ["", msg.RESULT_EXTRA]
        lines += [msg.RESULT_EXTRA_CHILD.format(record=x.record_id, name=x.name or msg.NO_NAME,
                                                book=x.book_number or msg.NO_BOOK,
                                                order=x.order)
                  for x in result.extra]
    if result.extra_books:
        lines.append(msg.RESULT_EXTRA_BOOKS.format(
            books=", ".join(b or msg.NO_BOOK for b in result.extra_books)))
    if result.lessons:
        lines += ["", msg.RESULT_LESSON_HEAD]
        for lesson in result.lessons:
            lines.append(msg.RESULT_LESSON.format(
                mark="x" if lesson.caught else " ", title=lesson.title,
                book=lesson.child.book_number, order=lesson.child.order,
                name=lesson.child_name or msg.NO_NAME))
            if not lesson.caught:
                lines.append(msg.RESULT_LESSON_EXPLAIN.format(explain=lesson.explain))
    if result.fields:
        lines += ["", msg.RESULT_FIELDS_HEAD]
        for score in result.fields:
            kinds = "; ".join(
                msg.RESULT_FIELD_KIND.format(label=msg.ERROR_KINDS[k.value], count=score.count(k))
                for k in ErrorKind if score.count(k))
            lines.append(msg.RESULT_FIELD.format(
                label=msg.field_label(score.field), correct=score.correct,
                checked=score.checked, accuracy=msg.percent(score.accuracy),
                kinds=f"  ({kinds})" if kinds else ""))
    return "\n".join(lines)
