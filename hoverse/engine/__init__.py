"""Engine pieces: safe checkpoint loading, atomic checkpoint writes (both opt-in, see
:mod:`hoverse.engine.io_setup`), CPU-capable distributed start-up, hooks."""
from .atomic_backend import (AtomicLocalBackend, atomic_write_bytes,
                             register_atomic_local_backend)
from .checkpoint import (SAFE_CHECKPOINT_GLOBALS, CorruptCheckpointError, UnsafeCheckpointError,
                         register_safe_checkpoint_loader, safe_load_checkpoint)
from .checkpoint_fit import (CheckpointMismatchError, check_checkpoint_fits,
                             checkpoint_mismatch)
from .dist import init_cpu_distributed
from .io_setup import setup_checkpoint_io
from .hooks import *  # noqa: F401,F403
from .log_processor import IntervalLogProcessor
from .model_wrappers import HoverseDistributedDataParallel
from .optim_wrapper import DeferredLogAmpOptimWrapper, DeferredLogOptimWrapper
from .resume import find_resume_checkpoint
from .work_dir_lock import WorkDirBusyError, WorkDirLock

__all__ = [
    'AtomicLocalBackend', 'atomic_write_bytes', 'register_atomic_local_backend',
    'SAFE_CHECKPOINT_GLOBALS', 'CorruptCheckpointError', 'UnsafeCheckpointError',
    'register_safe_checkpoint_loader', 'safe_load_checkpoint', 'init_cpu_distributed',
    'setup_checkpoint_io', 'HoverseDistributedDataParallel', 'IntervalLogProcessor',
    'DeferredLogOptimWrapper', 'DeferredLogAmpOptimWrapper', 'CheckpointMismatchError',
    'check_checkpoint_fits',
    'checkpoint_mismatch', 'WorkDirBusyError', 'WorkDirLock', 'find_resume_checkpoint'
]
