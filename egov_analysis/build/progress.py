"""What a build tells its user: a tqdm bar on a terminal, plain lines otherwise.

Every line also goes to ``reports/build.log`` (with a UTC timestamp), so a scheduled run
leaves its own record whatever cron or systemd does with the output. The log is rotated to
``build.log.1`` past 1 MB.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

LOG_LIMIT = 1 << 20


class BuildLog:
    def __init__(self, log_path: Path | None = None, *, stream: TextIO | None = None, tty: bool | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.log_path = log_path
        self._bar = None
        self._running: dict[str, None] = {}
        self._fh = None
        self._pending: list[str] = []  # lines logged before the file is opened (waiting for the lock)

    # -- lines ------------------------------------------------------------------------------
    def __call__(self, message: str) -> None:
        self.line(message)

    def line(self, message: str) -> None:
        text = f"[build] {message}"
        if self._bar is not None:
            self._bar.write(text, file=self.stream)
        else:
            print(text, file=self.stream, flush=True)
        self.to_file(text)

    def open_file(self) -> None:
        """Start appending to the log file (call once the build holds the lock)."""
        if self.log_path is None or self._fh is not None:
            return
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if self.log_path.stat().st_size > LOG_LIMIT:
                self.log_path.replace(self.log_path.with_name(self.log_path.name + ".1"))
        except FileNotFoundError:
            pass
        self._fh = open(self.log_path, "a", encoding="utf-8")
        pending, self._pending = self._pending, []
        for text in pending:
            self.to_file(text)

    def close(self) -> None:
        self.end_bar()
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def to_file(self, text: str) -> None:
        if self._fh is None:
            if self.log_path is not None:
                self._pending.append(text)
            return
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        for line in text.splitlines():
            self._fh.write(f"{stamp} {line}\n")
        self._fh.flush()

    # -- the progress bar -------------------------------------------------------------------
    def start_bar(self, total: int) -> None:
        if not self.tty or total == 0:
            return
        from tqdm import tqdm

        self._bar = tqdm(total=total, desc="reports", unit="report", file=self.stream, dynamic_ncols=True, leave=True)

    def started(self, report_id: str) -> None:
        self._running[report_id] = None
        self._show()

    def finished(self, report_id: str, message: str, *, ok: bool) -> None:
        self._running.pop(report_id, None)
        if self._bar is not None:
            self._bar.update(1)
            self._show()
            self.to_file(f"[build] {message}")
            if not ok:  # successes show on the bar; failures need a line of their own
                self._bar.write(f"[build] {message}", file=self.stream)
        else:
            self.line(message)

    def _show(self) -> None:
        if self._bar is not None:
            self._bar.set_postfix_str(", ".join(self._running) or "", refresh=True)

    def end_bar(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
