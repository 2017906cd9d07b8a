"""One build at a time: an OS file lock on ``reports/.build.lock`` plus a sidecar naming its holder.

The lock is ``flock``-based (filelock's UnixFileLock): the kernel releases it when the holding
process dies, however it dies. The sidecar ``reports/.build.lock.json`` (pid, host, start time,
command) is written once the lock is held and removed on a clean exit, so:

- a second build can say who it is waiting for, or refuse (``--no-wait``);
- a sidecar found by a build that *got* the lock belongs to a run that was killed (SIGKILL,
  OOM, power loss): that stale lock is reported and cleared, and the dead run's half-written
  staging folders are removed before anything else happens.
"""

from __future__ import annotations

import os
import socket
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone

from .. import config
from ..errors import BuildLockedError
from .hashing import read_json, write_json


def pid_alive(pid: int) -> bool:
    """True if a process with ``pid`` exists on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def describe(info: dict | None) -> str:
    if not info:
        return "another build"
    host = info.get("host")
    where = f" on {host}" if host and host != socket.gethostname() else ""
    return f"another build (pid {info.get('pid', '?')}{where}, started {info.get('started', '?')})"


class BuildLock:
    """Context manager holding the build lock.

    ``wait=False`` raises :class:`BuildLockedError` at once if another build holds it;
    otherwise ``log`` is told who holds it and the call blocks until it is free.
    ``stale`` is the sidecar of a killed run that was cleared, if any.
    """

    def __init__(self, p: config.Paths, *, wait: bool = True, log: Callable[[str], None] = print, run_id: str = "", poll: float = 0.2):
        self.p = p
        self.wait = wait
        self.log = log
        self.run_id = run_id
        self.poll = poll
        self.stale: dict | None = None
        self._lock = None

    def __enter__(self) -> "BuildLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def acquire(self) -> None:
        from filelock import FileLock, Timeout

        self.p.reports.mkdir(parents=True, exist_ok=True)
        # preserve_lock_file: never fall back to a lock-by-existence file that a kill would leave behind.
        lock = FileLock(str(self.p.build_lock), thread_local=False, preserve_lock_file=True)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            holder = read_json(self.p.build_lock_info)
            if not self.wait:
                raise BuildLockedError(
                    f"{describe(holder)} holds the lock",
                    where=self.p.build_lock,
                    fix="wait for it to finish, or run without --no-wait to queue behind it",
                ) from None
            self.log(f"{describe(holder)} holds the lock; waiting…")
            t0 = time.monotonic()
            lock.acquire(poll_interval=self.poll)
            self.log(f"lock acquired after {time.monotonic() - t0:.1f}s")
        self._lock = lock
        previous = read_json(self.p.build_lock_info)
        if previous and previous.get("pid") != os.getpid():
            self.stale = previous
            state = "no longer running" if not pid_alive(int(previous.get("pid", 0) or 0)) else "no longer holding it"
            self.log(
                f"cleared a stale lock: the build with pid {previous.get('pid', '?')} (started "
                f"{previous.get('started', '?')}) did not finish and is {state}"
            )
        write_json(
            self.p.build_lock_info,
            {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "started": datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
                "run_id": self.run_id,
                "command": " ".join([os.path.basename(sys.argv[0])] + sys.argv[1:]),
            },
        )

    def release(self) -> None:
        if self._lock is None:
            return
        try:
            info = read_json(self.p.build_lock_info)
            if info and info.get("pid") == os.getpid():
                self.p.build_lock_info.unlink(missing_ok=True)
        finally:
            self._lock.release()
            self._lock = None


def holder(p: config.Paths) -> dict | None:
    """The sidecar of the current (or last killed) lock holder."""
    return read_json(p.build_lock_info)


__all__ = ["BuildLock", "describe", "holder", "pid_alive"]
