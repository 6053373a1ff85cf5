"""Stop training at the first non-finite loss, naming the iteration and the loss term."""
import math
from typing import Any, Optional, Sequence

from mmengine.hooks import Hook

from hoverse.registry import HOOKS


class NonFiniteLossError(FloatingPointError):
    """A loss term became NaN or inf during training."""


@HOOKS.register_module()
class NaNGuardHook(Hook):
    """Raise :class:`NonFiniteLossError` when any logged loss term is NaN or inf.

    The check reads the loss terms the model returned for this iteration (the message hub's
    ``train/*loss*`` scalars), so it costs nothing on the hot path.
    """

    priority = 'VERY_LOW'

    def after_train_iter(self, runner: Any, batch_idx: int, data_batch: Optional[Any] = None,
                         outputs: Optional[dict] = None) -> None:
        if not outputs:
            return
        bad: Sequence[str] = [
            k for k, v in outputs.items()
            if 'loss' in k and not math.isfinite(float(getattr(v, 'item', lambda: v)()))
        ]
        if bad:
            raise NonFiniteLossError(
                f'non-finite loss at iteration {runner.iter + 1} (epoch {runner.epoch}): '
                + ', '.join(f'{k}={float(outputs[k])}' for k in bad))
