from .safe_checkpoint_hook import SafeCheckpointHook
from .checkpoint_io_hook import CheckpointIOHook
from .deferred_runtime_info_hook import DeferredRuntimeInfoHook
from .nan_guard_hook import NaNGuardHook, NonFiniteLossError
from .visualization_hook import HandObjectVisualizationHook

__all__ = ['SafeCheckpointHook', 'CheckpointIOHook', 'DeferredRuntimeInfoHook', 'NaNGuardHook',
           'NonFiniteLossError', 'HandObjectVisualizationHook']
