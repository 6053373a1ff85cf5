"""Engine pieces: safe checkpoint loading, CPU-capable distributed start-up, hooks."""
from .checkpoint import (SAFE_CHECKPOINT_GLOBALS, UnsafeCheckpointError,
                         register_safe_checkpoint_loader, safe_load_checkpoint)
from .dist import init_cpu_distributed
from .hooks import *  # noqa: F401,F403
from .model_wrappers import HoverseDistributedDataParallel

register_safe_checkpoint_loader()

__all__ = [
    'SAFE_CHECKPOINT_GLOBALS', 'UnsafeCheckpointError', 'register_safe_checkpoint_loader',
    'safe_load_checkpoint', 'init_cpu_distributed', 'HoverseDistributedDataParallel'
]
