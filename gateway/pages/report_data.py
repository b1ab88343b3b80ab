"""The public report's numbers: reporting's monthly summaries (the same RPC as
GET /api/v1/reports/monthly), for a month and the eleven before it, kept a minute so
that a page and its three charts ask reporting once."""

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from gateway.pages.labels import JAKARTA, MONTHS
from gateway.rpc import RpcClient

TREND_MONTHS = 12
FRESH_SECONDS = 60.0


@dataclass(frozen=True, order=True)
class Month:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Month | None":
        """YYYY-MM, or None (reporting decides which months it reports on)."""
        year, dash, number = text.partition("-")
        if not (dash and len(year) == 4 and len(number) == 2):
            return None
        if not (year.isdigit() and number.isdigit() and 1 <= int(number) <= 12):
            return None
        return cls(int(year), int(number))

    @classmethod
    def current(cls, now: datetime) -> "Month":
        local = now.astimezone(JAKARTA)
        return cls(local.year, local.month)

    def back(self, months: int) -> "Month":
        index = self.year * 12 + self.number - 1 - months
        return Month(index // 12, index % 12 + 1)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.number:02d}"

    @property
    def name(self) -> str:
        return f"{MONTHS[self.number - 1]} {self.year}"

    @property
    def short(self) -> str:
        return f"{MONTHS[self.number - 1][:3]} {self.year}"


class MonthlyReports:
    """Reporting's summaries and archived reports by month, each kept FRESH_SECONDS."""

    def __init__(self, rpc: Callable[[], RpcClient], clock=time.monotonic) -> None:
        # The app's RPC client, looked up per call: the pages start before it exists.
        self.rpc = rpc
        self.clock = clock
        self._kept: dict[tuple[str, str], tuple[float, object]] = {}

    async def month(self, month: Month) -> dict:
        return await self._fresh("monthly", month)

    async def figures(self, month: Month) -> dict:
        """The month's figures in total and by every dimension (docs/reports.md)."""
        return await self._fresh("month_figures", month)

    async def published(self, month: Month) -> dict | None:
        """The latest archived version of the month's report (docs/reports.md), if any."""
        # An empty archive is asked again next time: the month's first report (at 08:00 on
        # the first working day, or regenerated) shows at once.
        listed = await self._fresh("report_archive", month, keep_empty=False)
        return listed[0] if listed else None

    async def _fresh(self, method: str, month: Month, keep_empty: bool = True):
        """Reporting's answer to `method` for the month, asked at most every
        FRESH_SECONDS: the public page is read far more often than the figures move."""
        key = (method, month.key)
        kept = self._kept.get(key)
        if kept is not None and self.clock() - kept[0] < FRESH_SECONDS:
            return kept[1]
        answer = await self.rpc().call("reporting", method, month=month.key)
        if not answer and not keep_empty:
            return answer
        self._kept[key] = (self.clock(), answer)
        if len(self._kept) > 480:  # twenty years of months, twice; old ones go first
            del self._kept[min(self._kept, key=lambda k: self._kept[k][0])]
        return answer

    async def trend(self, last: Month) -> list[tuple[Month, dict]]:
        """The twelve months ending with `last`, oldest first."""
        months = [last.back(n) for n in range(TREND_MONTHS - 1, -1, -1)]
        summaries = await asyncio.gather(*(self.month(m) for m in months))
        return list(zip(months, summaries, strict=True))
