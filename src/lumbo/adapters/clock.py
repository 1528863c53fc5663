"""Clocks: the real one, and a fixed one for tests and reproducible runs."""

from __future__ import annotations

import datetime as dt


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def today(self) -> dt.date:
        return dt.date.today()


class FixedClock:
    """Always the same moment (UTC); ``advance`` moves it on."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.moment

    def today(self) -> dt.date:
        return self.moment.date()

    def advance(self, delta: dt.timedelta) -> None:
        self.moment = self.moment + delta
