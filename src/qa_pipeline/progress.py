"""Progress of a long batch: a bar with counts and the plan just finished, on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, Protocol


class _Summary(Protocol):
    plan_id: str
    status: str


class BatchProgress:
    """Shown on standard error only when it is a terminal (and asked for)."""

    def __init__(self, total: int, enabled: bool = True) -> None:
        self.total = total
        self.done = 0
        self.rejected = 0
        self._bar: Any = None
        if enabled and sys.stderr.isatty() and total:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(TextColumn("QA"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.description}"), transient=True)
            self._task = self._bar.add_task("", total=total)
            self._bar.start()

    def advance(self, finished: Sequence[_Summary]) -> None:
        self.done += len(finished)
        self.rejected += sum(s.status != "ok" for s in finished)
        if self._bar is not None and finished:
            self._bar.update(self._task, advance=len(finished),
                             description=f"{finished[-1].plan_id} ({self.rejected} rejected)")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
