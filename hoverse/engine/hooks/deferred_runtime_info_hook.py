"""Training scalars summed on the device and read back once per logging interval."""
from typing import Any, Dict, Optional

import torch
from mmengine.hooks import RuntimeInfoHook

from hoverse.registry import HOOKS

from .nan_guard_hook import NonFiniteLossError


@HOOKS.register_module()
class DeferredRuntimeInfoHook(RuntimeInfoHook):
    """mmengine's ``RuntimeInfoHook``, except for the train step's scalars: the loss terms
    (and the gradient norm of :class:`~hoverse.engine.optim_wrapper.DeferredLogOptimWrapper`)
    are summed on their device every iteration and written to the message hub as their mean
    over the interval only when the logger may log, a checkpoint may be saved, an epoch
    ends, or training ends.
    mmengine's hook turns each of them into a Python number every iteration, and every such
    read waits for the GPU to finish the step.

    With ``log_processor.window_size=1`` the logged value is the mean over the logging
    interval. ``nan_guard`` raises :class:`~hoverse.engine.hooks.NonFiniteLossError` at a
    flush when a loss term was NaN or inf at some iteration of the interval (a NaN makes
    the sum NaN), naming the terms and the iterations; a flush always precedes a checkpoint.
    """

    def __init__(self, nan_guard: bool = True) -> None:
        super().__init__()
        self.nan_guard = nan_guard
        self._sums: Dict[str, torch.Tensor] = {}
        self._count = 0
        self._first_iter = 0
        self._intervals = []

    def before_train(self, runner) -> None:
        super().before_train(runner)
        self._intervals = [getattr(h, 'interval', 0) for h in runner.hooks
                           if type(h).__name__ in ('LoggerHook', 'SafeCheckpointHook',
                                                   'CheckpointHook')
                           and not getattr(h, 'by_epoch', False)]
        self._intervals = [i for i in self._intervals if i and i > 0]

    def _due(self, runner, batch_idx: int) -> bool:
        """Whether the logger may log or a checkpoint may be saved after this iteration:
        a multiple of an interval in global iterations (iteration-based runs) or within the
        epoch (the logger of epoch-based runs), the end of an epoch, or the last iteration."""
        it = runner.iter + 1
        if it >= runner.max_iters or not self._intervals:
            return True
        if any(it % i == 0 for i in self._intervals):
            return True
        loop = getattr(runner, 'train_loop', None)
        if not any(c.__name__ == 'EpochBasedTrainLoop' for c in type(loop).__mro__):
            return False  # iteration-based: batch_idx is the global iteration
        if any((batch_idx + 1) % i == 0 for i in self._intervals):
            return True
        try:
            return batch_idx + 1 >= len(runner.train_dataloader)
        except TypeError:  # a loader without a length
            return False

    def after_train_iter(self, runner, batch_idx: int, data_batch: Any = None,
                         outputs: Optional[dict] = None) -> None:
        if self._count == 0:
            self._first_iter = runner.iter + 1
        values = dict(outputs or {})
        wrapper = getattr(runner, 'optim_wrapper', None)
        norm = getattr(wrapper, 'last_grad_norm', None)
        if norm is not None:
            values[f'{getattr(wrapper, "grad_name", "grad_norm")}'] = norm
        for key, value in values.items():
            v = value.detach().float() if torch.is_tensor(value) else torch.tensor(float(value))
            self._sums[key] = self._sums[key] + v if key in self._sums else v.clone()
        self._count += 1
        if self._due(runner, batch_idx):
            self.flush(runner)

    def flush(self, runner) -> None:
        """Write the interval's means to the message hub (one device read for all)."""
        if not self._count:
            return
        keys = list(self._sums)
        means = (torch.stack([self._sums[k].reshape(()) for k in keys]).cpu()
                 / self._count).tolist()
        first, last, self._sums, self._count = self._first_iter, runner.iter + 1, {}, 0
        for key, value in zip(keys, means):
            runner.message_hub.update_scalar(f'train/{key}', value)
        if self.nan_guard:
            bad = [k for k, v in zip(keys, means) if 'loss' in k and not
                   torch.isfinite(torch.tensor(v))]
            if bad:
                raise NonFiniteLossError(
                    f'non-finite loss between iterations {first} and {last}: ' + ', '.join(
                        f'{k}={v}' for k, v in zip(keys, means) if k in bad))

    def after_train(self, runner) -> None:
        self.flush(runner)
