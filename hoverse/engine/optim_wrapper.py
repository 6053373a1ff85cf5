"""Optimiser wrappers whose gradient clipping does not read the norm back to the host."""
from typing import List, Optional

import torch
from mmengine.optim import AmpOptimWrapper, OptimWrapper

from hoverse.registry import OPTIM_WRAPPERS


class DeferredGradNormMixin:
    """Clipping keeps the gradient norm as a device tensor (``last_grad_norm``) instead of
    logging ``float(norm)`` every step, which waits for the device;
    :class:`~hoverse.engine.hooks.DeferredRuntimeInfoHook` logs its mean once per logging
    interval."""

    last_grad_norm: Optional[torch.Tensor] = None

    def _clip_grad(self) -> None:
        params: List[torch.Tensor] = [p for g in self.optimizer.param_groups
                                      for p in g['params']
                                      if p.requires_grad and p.grad is not None]
        if params:
            norm = self.clip_func(params, **self.clip_grad_kwargs)
            if norm is not None:  # clip_grad_value_ returns None
                self.last_grad_norm = norm.detach()


@OPTIM_WRAPPERS.register_module()
class DeferredLogOptimWrapper(DeferredGradNormMixin, OptimWrapper):
    """mmengine's ``OptimWrapper`` with :class:`DeferredGradNormMixin`."""


@OPTIM_WRAPPERS.register_module()
class DeferredLogAmpOptimWrapper(DeferredGradNormMixin, AmpOptimWrapper):
    """mmengine's ``AmpOptimWrapper`` (automatic mixed precision: ``dtype='float16'`` with
    loss scaling, or ``'bfloat16'``) with :class:`DeferredGradNormMixin`."""
