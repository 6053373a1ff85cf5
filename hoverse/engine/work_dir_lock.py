"""One training run per work dir: an OS file lock held for the run's life."""
import fcntl
import os
import os.path as osp
from typing import Optional

LOCK_NAME = '.hoverse_run.lock'


class WorkDirBusyError(RuntimeError):
    """Another live process trains into this work dir."""


class WorkDirLock:
    """``flock`` on ``<work_dir>/.hoverse_run.lock``, holding the owner's PID.

    The kernel releases the lock when its process exits in any way (kill -9 included), so a
    crashed run leaves no stale lock; the file itself stays and is reused.
    ``with WorkDirLock(work_dir): ...`` or ``acquire()`` / ``release()``.

    Raises:
        WorkDirBusyError: on ``acquire``, naming the holder's PID and what to do.
    """

    def __init__(self, work_dir: str) -> None:
        self.work_dir = work_dir
        self.path = osp.join(work_dir, LOCK_NAME)
        self._fd: Optional[int] = None

    def acquire(self) -> 'WorkDirLock':
        os.makedirs(self.work_dir, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors='replace').strip() or 'unknown'
            os.close(fd)
            raise WorkDirBusyError(
                f'work dir {self.work_dir!r} is in use by another training run (PID {holder}); '
                'wait for it to end, stop it, or pass another --work-dir') from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f'{os.getpid()}\n'.encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> 'WorkDirLock':
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
