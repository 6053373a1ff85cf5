"""Optimiser wrappers whose gradient clipping does not read the norm back to the host."""
from contextlib import contextmanager
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
    """Mixed precision with :class:`DeferredGradNormMixin`.

    On a GPU: mmengine's ``AmpOptimWrapper`` (``dtype='float16'`` with dynamic loss
    scaling, or ``'bfloat16'``). On a CPU (mmengine's wrapper refuses one): bf16 autocast
    without loss scaling (bf16 has float32's exponent range), so the same config runs and
    is tested here. Losses that need float32 (geodesic rotation, SDF lookups, contact)
    compute in float32 inside the autocast region.
    """

    def __init__(self, loss_scale='dynamic', dtype=None, use_fsdp: bool = False,
                 **kwargs) -> None:
        self.on_cpu = not torch.cuda.is_available()
        if not self.on_cpu:
            super().__init__(loss_scale=loss_scale, dtype=dtype, use_fsdp=use_fsdp, **kwargs)
            return
        if dtype not in ('bfloat16', torch.bfloat16):
            raise ValueError('mixed precision on a CPU is bfloat16 only: set '
                             f"optim_wrapper.dtype='bfloat16' (got {dtype!r})")
        OptimWrapper.__init__(self, **kwargs)
        self.cast_dtype = torch.bfloat16
        self.loss_scaler = None

    def backward(self, loss: torch.Tensor, **kwargs) -> None:
        if self.on_cpu:
            return OptimWrapper.backward(self, loss, **kwargs)
        return super().backward(loss, **kwargs)

    def step(self, **kwargs) -> None:
        if self.on_cpu:
            return OptimWrapper.step(self, **kwargs)
        return super().step(**kwargs)

    def state_dict(self) -> dict:
        return OptimWrapper.state_dict(self) if self.on_cpu else super().state_dict()

    def load_state_dict(self, state_dict: dict) -> None:
        if self.on_cpu:
            state_dict = {k: v for k, v in state_dict.items() if k != 'loss_scaler'}
            return OptimWrapper.load_state_dict(self, state_dict)
        return super().load_state_dict(state_dict)

    @contextmanager
    def optim_context(self, model):
        if not self.on_cpu:
            with super().optim_context(model):
                yield
            return
        with OptimWrapper.optim_context(self, model), \
                torch.autocast('cpu', dtype=torch.bfloat16):
            yield
