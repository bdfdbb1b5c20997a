"""The resident server's warm-up runs the app for real before forking sessions.

A warm-up that fails is only logged (a cold start is slower, not wrong), so a broken
warm-up would go unnoticed: every session would then pay the first paint itself.
"""

from __future__ import annotations

from tui.server import resident


def test_warm_up_runs_the_app_to_its_home_screen_without_error() -> None:
    resident._warm_up()
