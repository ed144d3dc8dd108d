"""What a background import shows while it runs, and how it is cancelled.

The worker runs the dry run or the import in its own transaction (all or nothing), so
its progress cannot be told through the database: it is a small JSON file beside the
uploaded bundle in the private upload folder, rewritten atomically at most twice a
second, which the page polls. Cancelling leaves a marker file there that the worker
sees at its next batch: it stops, and the import's transaction rolls back.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings

from records.progress import Progress


def upload_dir() -> Path:
    """The private folder of uploaded bundles (and their progress files)."""
    default = Path(tempfile.gettempdir()) / "traject-record-bundles"
    folder = Path(getattr(settings, "RECORDS_UPLOAD_DIR", default))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def progress_path(token: str) -> Path:
    return upload_dir() / f"{token}.progress.json"


def cancel_path(token: str) -> Path:
    return upload_dir() / f"{token}.cancel"


def read_progress(token: str) -> dict[str, Any]:
    """The last progress the worker wrote ({} before it started)."""
    try:
        return dict(json.loads(progress_path(token).read_text()))
    except (OSError, ValueError):
        return {}


def request_cancel(token: str) -> None:
    cancel_path(token).touch()


def remove_files(token: str) -> None:
    """The progress and cancel files of an upload (the bundle itself is removed apart)."""
    progress_path(token).unlink(missing_ok=True)
    cancel_path(token).unlink(missing_ok=True)


class Cancelled(Exception):
    """The administrator cancelled the job: stop, and let the transaction roll back."""


class JobProgress(Progress):
    """Progress of a background job: written to the job's progress file, and the point
    where the job notices that it was cancelled."""

    def __init__(
        self,
        token: str,
        *,
        phase: str,
        files_total: int,
        rows_expected: int = 0,
        interval: float = 0.5,
    ) -> None:
        super().__init__(None, interval)
        self.token = token
        self.phase = phase
        self.files_total = files_total
        # An import reads every row twice (check, then write); a first check counts files.
        self.work_expected = 2 * rows_expected
        self.files_started = 0
        self.rows_total = 0
        self.writing = False
        self.job_started = time.monotonic()
        self._write()

    def start(self, file: str, *, writing: bool) -> None:
        super().start(file, writing=writing)
        self.writing = writing
        self.files_started += 1
        self._check_cancelled()
        self._write()

    def advance(self, rows: int) -> None:
        self.rows_total += rows
        now = time.monotonic()
        if now - self.shown >= self.interval:
            self._check_cancelled()
            self._write()
        super().advance(rows)

    def _check_cancelled(self) -> None:
        if cancel_path(self.token).exists():
            raise Cancelled

    def _write(self) -> None:
        self.shown = now = time.monotonic()
        elapsed = max(now - self.job_started, 1e-9)
        if self.work_expected:
            done = self.rows_total / self.work_expected
        else:
            done = max(self.files_started - 1, 0) / max(self.files_total, 1)
        state = {
            "phase": self.phase,
            "percent": min(99, int(done * 100)),
            "file": self.file,
            "writing": self.writing,
            "files_started": self.files_started,
            "files_total": self.files_total,
            "rows": self.rows_total,
            "rows_per_second": round(self.rows_total / elapsed),
            "seconds": round(elapsed, 1),
        }
        target = progress_path(self.token)
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps(state))
        os.replace(temporary, target)
