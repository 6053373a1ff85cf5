from .nan_guard_hook import NaNGuardHook, NonFiniteLossError
from .visualization_hook import HandObjectVisualizationHook

__all__ = ['NaNGuardHook', 'NonFiniteLossError', 'HandObjectVisualizationHook']
