"""Draw predictions during validation/testing (off by default)."""
import os.path as osp
from typing import Any, Optional, Sequence

import mmcv
from mmengine.hooks import Hook

from hoverse.geometry.mirror import mirror_image
from hoverse.registry import HOOKS


@HOOKS.register_module()
class HandObjectVisualizationHook(Hook):
    """Hand the runner's visualizer every ``interval``-th validation/test sample.

    Args:
        enable: draw at all (the runtime config keeps it False).
        interval: draw one batch's first sample every ``interval`` iterations.
        out_dir: with ``enable`` during testing, also write PNGs here (relative to the
            run's log dir).
        val_interval: draw during every ``val_interval``-th validation only (the
            visualizer's backends, e.g. TensorBoard, get a few pictures per validation).
    """

    priority = 'NORMAL'

    def __init__(self, enable: bool = False, interval: int = 50,
                 out_dir: Optional[str] = None, val_interval: int = 1) -> None:
        if not isinstance(val_interval, int) or val_interval < 1:
            raise ValueError(f'val_interval must be an integer >= 1, got {val_interval!r}')
        self.enable = enable
        self.interval = interval
        self.out_dir = out_dir
        self.val_interval = val_interval
        self._validations = 0

    def before_val_epoch(self, runner: Any) -> None:
        self._validations += 1

    def _draw(self, runner: Any, batch_idx: int, data_batch: dict,
              outputs: Sequence[Any], mode: str) -> None:
        if not self.enable or batch_idx % self.interval or not outputs:
            return
        if mode == 'val' and (self._validations - 1) % self.val_interval:
            return
        sample = outputs[0]
        img_path = sample.metainfo.get('img_path')
        if img_path is None:
            return
        image = mmcv.imread(img_path, channel_order='rgb')
        if sample.metainfo.get('is_left', False):  # mirrored to a right hand when loaded
            image = mirror_image(image)
        out_file = None
        if self.out_dir is not None and mode == 'test':
            out_file = osp.join(runner.log_dir, self.out_dir, f'{batch_idx:06d}.png')
        runner.visualizer.add_datasample(
            f'{mode}_{osp.basename(img_path)}', image, data_sample=sample,
            step=runner.iter, out_file=out_file)

    def after_val_iter(self, runner: Any, batch_idx: int, data_batch: dict = None,
                       outputs: Sequence[Any] = None) -> None:
        self._draw(runner, batch_idx, data_batch, outputs, 'val')

    def after_test_iter(self, runner: Any, batch_idx: int, data_batch: dict = None,
                        outputs: Sequence[Any] = None) -> None:
        self._draw(runner, batch_idx, data_batch, outputs, 'test')
