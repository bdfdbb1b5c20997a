"""The library example in README.md runs as written and does what its comments claim.

Other projects copy that example first; if the API changes under it, this fails.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
SECTION = "## The library (`libchild`)"
# "expression   # 'claimed repr'" lines: the claim is a repr, possibly cut short by "...".
CLAIM = re.compile(r"^(?P<expr>\S.*?)\s+#\s+(?P<claim>['\"(\w].*)$")


def _example() -> str:
    text = README.read_text(encoding="utf-8")
    assert SECTION in text, "README.md lost its library section"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found, "README.md's library section has no ```python block"
    return found.group(1)


@pytest.fixture(scope="module")
def run() -> tuple[dict[str, Any], str]:
    """Run the example as a script; return its namespace and what it printed."""
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(_example(), str(README), "exec"), namespace)
    return namespace, out.getvalue()


def test_example_prints_one_line_per_issue_with_real_codes(run) -> None:
    from libchild.messages import MESSAGES, SEVERITIES

    _, printed = run
    lines = printed.splitlines()
    assert lines, "the example prints the issues of its record"
    for line in lines:
        severity, code, field, message = line.split(" ", 3)
        assert severity in SEVERITIES
        assert MESSAGES[code].message == message
        assert field == MESSAGES[code].field
    # The record has no errors: only what is honestly missing (no parent's name).
    assert [line.split(" ")[1] for line in lines] == ["parents.missing"]


def test_comment_claims_hold(run) -> None:
    namespace, _ = run
    claims = [
        m for m in map(CLAIM.match, _example().splitlines())
        # not an assignment or a dict item with a remark ("# synthetic")
        if m and not m["expr"].startswith(('"', "import ", "from ")) and "=" not in m["expr"]
    ]
    assert len(claims) == 3, "the example's claimed values were not found"
    for match in claims:
        value = repr(eval(match["expr"], namespace))
        claim = match["claim"].strip()
        if claim.endswith("...)"):
            assert value.startswith(claim[: -len("...)")].rstrip(" ,")), (match["expr"], value)
        else:
            assert value == claim, (match["expr"], value)


def test_the_claims_named_explicitly(run) -> None:
    namespace, _ = run
    assert namespace["cleaned"].record["full_name"] == "Lò Thị Mai"
    assert namespace["cleaned"].record["personal_id"] == "014316012345"
    assert namespace["cleaned"].record["birth_date"] == "2016-03-15"
    assert namespace["load"]().ethnicities.find("hmong")[0].code == "08"
    assert namespace["cccd"].validate("014-316-012345") == "014316012345"


def test_the_functions_the_readme_lists_exist() -> None:
    import libchild
    import libchild.text

    for name in ("validate", "clean", "find_duplicates"):
        assert callable(getattr(libchild, name))
    for name in ("fold", "normalize_name", "decode_legacy", "compose"):
        assert callable(getattr(libchild.text, name))
    issue = libchild.validate({})[0]
    for attribute in ("code", "severity", "field", "message", "hint", "message_en", "hint_en"):
        assert isinstance(getattr(issue, attribute), str | type(None))
