"""Progress of a long import on stderr: the file being read, rows so far, rows per second."""

from __future__ import annotations

import time
from typing import IO, Any

from django.utils.translation import gettext as _


class Progress:
    """Silent unless given a stream; on a terminal one line is rewritten in place."""

    def __init__(self, stream: IO[str] | None = None, interval: float = 1.0) -> None:
        self.stream = stream
        self.interval = interval
        self.tty = bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())
        self.file = ""
        self.action = ""
        self.rows = 0
        self.started = self.shown = time.monotonic()

    def start(self, file: str, *, writing: bool) -> None:
        self._finish_line()
        self.file = file
        self.action = _("schrijven") if writing else _("controleren")
        self.rows = 0
        self.started = self.shown = time.monotonic()

    def advance(self, rows: int) -> None:
        self.rows += rows
        now = time.monotonic()
        if self.stream is not None and now - self.shown >= self.interval:
            self.shown = now
            self._show(now)

    def done(self, result: Any) -> None:
        self._finish_line()

    def _show(self, now: float) -> None:
        assert self.stream is not None
        rate = self.rows / max(now - self.started, 1e-9)
        text = _("%(file)s %(action)s: %(rows)s rijen, %(rate)s rijen/s") % {
            "file": self.file,
            "action": self.action,
            "rows": f"{self.rows:,}".replace(",", "."),
            "rate": f"{rate:,.0f}".replace(",", "."),
        }
        if self.tty:
            self.stream.write("\r\033[K" + text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
        self._open_line = self.tty

    def _finish_line(self) -> None:
        if self.stream is not None and getattr(self, "_open_line", False):
            self.stream.write("\n")
            self.stream.flush()
            self._open_line = False
