"""Engine pieces: safe checkpoint loading, atomic checkpoint writes, CPU-capable
distributed start-up, hooks."""
from .atomic_backend import (AtomicLocalBackend, atomic_write_bytes,
                             register_atomic_local_backend)
from .checkpoint import (SAFE_CHECKPOINT_GLOBALS, UnsafeCheckpointError,
                         register_safe_checkpoint_loader, safe_load_checkpoint)
from .dist import init_cpu_distributed
from .hooks import *  # noqa: F401,F403
from .model_wrappers import HoverseDistributedDataParallel

register_safe_checkpoint_loader()
register_atomic_local_backend()

__all__ = [
    'AtomicLocalBackend', 'atomic_write_bytes', 'register_atomic_local_backend',
    'SAFE_CHECKPOINT_GLOBALS', 'UnsafeCheckpointError', 'register_safe_checkpoint_loader',
    'safe_load_checkpoint', 'init_cpu_distributed', 'HoverseDistributedDataParallel'
]
