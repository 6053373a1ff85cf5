from .safe_checkpoint_hook import SafeCheckpointHook
from .checkpoint_io_hook import CheckpointIOHook
from .nan_guard_hook import NaNGuardHook, NonFiniteLossError
from .visualization_hook import HandObjectVisualizationHook

__all__ = ['SafeCheckpointHook', 'CheckpointIOHook', 'NaNGuardHook', 'NonFiniteLossError', 'HandObjectVisualizationHook']
