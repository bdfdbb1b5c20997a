"""Typing a scenario's books into a trainee's sandbox through the services (tests only)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from tui.services import Services, accounts
from tui.store.database import open_db
from tui.training.scenario import Scenario
from tui.training.values import ChildValues


def payload(values: ChildValues) -> dict[str, Any]:
    data = {k: v for k, v in attrs.asdict(values, recurse=False).items()
            if k not in ("circumstances", "supports")}
    data["circumstances"] = [attrs.asdict(c) for c in values.circumstances]
    data["supports"] = [attrs.asdict(s) for s in values.supports]
    return data


def type_books(folder: Path, username: str, password: str, scenario: Scenario,
               change: Callable[[dict[str, Any]], None] | None = None) -> None:
    """Save every book of the scenario as trainee ``username`` through the services;
    ``change(child_payload)`` plants a trainee's mistake."""
    db = open_db(folder / f"{username}.treem")
    try:
        services = Services(db, accounts.login(db, username, password))
        for household in scenario.key.households:
            kids = [payload(k.values) for k in scenario.key.children
                    if k.ref.book_number == household.book_number]
            if change:
                for kid in kids:
                    change(kid)
            services.households.save(
                {"book_number": household.book_number, "village": household.village,
                 "address": household.address or "", "poverty": household.poverty},
                kids,
                [{"full_name": a.name, "personal_id": a.personal_id, "relation": a.relation}
                 for a in household.adults])
    finally:
        db.close()
