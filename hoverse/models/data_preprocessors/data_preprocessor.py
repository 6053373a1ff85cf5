"""Normalise and batch images; move everything to the model's device."""
from typing import Sequence

from mmengine.model import ImgDataPreprocessor

from hoverse.registry import MODELS


@MODELS.register_module()
class HandObjectDataPreprocessor(ImgDataPreprocessor):
    """mmengine's :class:`~mmengine.model.ImgDataPreprocessor` (RGB in, 0-255 ``mean`` /
    ``std``, no padding) for crops: ``inputs``, a list of uint8 ``(3, H, W)`` or a stacked
    batch, -> float ``(B, 3, H, W)``. Images in a batch must share a size (the crop); a
    mismatch is reported with the sizes found rather than padded over, since padding would
    move the crop camera's principal point."""

    def __init__(self, mean: Sequence[float] = (123.675, 116.28, 103.53),
                 std: Sequence[float] = (58.395, 57.12, 57.375),
                 non_blocking: bool = False) -> None:
        super().__init__(mean=mean, std=std, pad_size_divisor=1, bgr_to_rgb=False,
                         non_blocking=non_blocking)

    def forward(self, data: dict, training: bool = False) -> dict:
        inputs = data['inputs']
        if isinstance(inputs, (list, tuple)):
            sizes = {tuple(x.shape) for x in inputs}
            if len(sizes) != 1:
                raise ValueError(f'images in one batch must have one size, got {sorted(sizes)}')
            shapes = [s for s in sizes]
        else:
            shapes = [tuple(inputs.shape[1:])] if inputs.dim() == 4 else [tuple(inputs.shape)]
        if any(len(s) != 3 or s[0] != 3 for s in shapes):
            raise ValueError(f'inputs must be (B, 3, H, W) images, got {shapes[0]} per image')
        return super().forward(data, training)
