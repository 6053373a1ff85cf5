"""A hook that switches a Runner's process to hoverse's checkpoint I/O."""
from mmengine.hooks import Hook

from hoverse.registry import HOOKS

from ..io_setup import setup_checkpoint_io


@HOOKS.register_module()
class CheckpointIOHook(Hook):
    """Calls :func:`hoverse.engine.setup_checkpoint_io` when built, i.e. when the Runner
    registers its hooks, before it loads, resumes or saves any checkpoint: safe
    ``weights_only`` loading of mmengine checkpoints (torch >= 2.6) and atomic writes."""

    priority = 'VERY_HIGH'

    def __init__(self) -> None:
        setup_checkpoint_io()
