"""Opt-in checkpoint I/O for a process: hoverse's safe loader and atomic writes.

Nothing here runs at ``import hoverse``: the tools call :func:`setup_checkpoint_io`, and a
Runner built from a hoverse config gets it through :class:`CheckpointIOHook` in
``configs/_base_/default_runtime.py``.
"""
from .atomic_backend import register_atomic_local_backend
from .checkpoint import register_safe_checkpoint_loader


def setup_checkpoint_io() -> None:
    """Make mmengine load local checkpoints with ``weights_only=True`` and hoverse's
    allow-list (refusals name the global), and write local files atomically. Idempotent;
    process-wide from the first call."""
    register_safe_checkpoint_loader()
    register_atomic_local_backend()
