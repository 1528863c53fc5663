"""A real calendar client reads the export: Debian's `khal` imports it into a temporary
calendar, lists the sessions, and a second import updates instead of duplicating.

Skipped when khal is missing, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from lumbo.reports.calendar import build_calendar
from lumbo.services import decide
from tests.unit.test_calendar import START, typical_profile

CONFIG = """\
[calendars]
[[lumbo]]
path = {folder}
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = UTC
default_timezone = UTC

[sqlite]
path = {database}
"""


class Khal:
    """khal with its own config, calendar folder and database under a temporary folder."""

    def __init__(self, program: str, root: Path) -> None:
        self.program = program
        self.folder = root / "calendar"
        self.folder.mkdir()
        self.config = root / "khal.conf"
        self.config.write_text(CONFIG.format(folder=self.folder, database=root / "khal.db"))
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(root),
            "LANG": "C.UTF-8",
            "XDG_CONFIG_HOME": str(root),
            "XDG_DATA_HOME": str(root),
        }

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            [self.program, "-c", str(self.config), *args],
            env=self.env, capture_output=True, text=True, timeout=60, check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def event_files(self) -> int:
        return len(list(self.folder.glob("*.ics")))


@pytest.fixture
def khal(tmp_path: Path) -> Khal:
    program = shutil.which("khal")
    if program is None:
        if os.environ.get("CI") == "true":
            pytest.fail("khal is not installed: CI must test the calendar with a real client")
        pytest.skip("khal is not installed (apt install khal)")
    return Khal(program, tmp_path)


def test_khal_imports_lists_and_updates_the_sessions(khal: Khal, tmp_path: Path) -> None:
    decision = decide(typical_profile(), None, START, 7)
    sessions = [(day.date, s) for day in decision.days for s in day.sessions if s.items]
    ics = tmp_path / "plan.ics"
    ics.write_bytes(build_calendar(decision, at=dt.time(7, 30)))

    khal("import", "--batch", "-a", "lumbo", str(ics))
    assert khal.event_files() == len(sessions)
    listing = khal("list", "--format", "{start} {title}", START.isoformat(), "7d")
    for _, session in sessions:
        assert f"lumbo: {session.title}" in listing
    assert f"{START.isoformat()} 07:30 lumbo: {sessions[0][1].title}" in listing

    # Re-import a later export at another time: the same events move, none is added.
    ics.write_bytes(build_calendar(decision, at=dt.time(18, 0)))
    khal("import", "--batch", "-a", "lumbo", str(ics))
    assert khal.event_files() == len(sessions)
    listing = khal("list", "--format", "{start} {title}", START.isoformat(), "7d")
    assert f"{START.isoformat()} 18:00 lumbo: {sessions[0][1].title}" in listing
    assert "07:30 lumbo" not in listing
