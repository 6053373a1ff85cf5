"""Normalise and batch images; move everything to the model's device."""
from typing import Sequence

import torch
from mmengine.model import BaseDataPreprocessor

from hoverse.registry import MODELS


@MODELS.register_module()
class HandObjectDataPreprocessor(BaseDataPreprocessor):
    """``inputs``: list of uint8 ``(3, H, W)`` (or a stacked batch) -> float ``(B, 3, H, W)``
    normalised by ``mean``/``std`` (RGB, 0-255 scale). Images in a batch must share a size
    (the crop); a mismatch is reported with the sizes found."""

    def __init__(self, mean: Sequence[float] = (123.675, 116.28, 103.53),
                 std: Sequence[float] = (58.395, 57.12, 57.375)) -> None:
        super().__init__()
        self.register_buffer('mean', torch.tensor(mean).view(1, 3, 1, 1), persistent=False)
        self.register_buffer('std', torch.tensor(std).view(1, 3, 1, 1), persistent=False)

    def forward(self, data: dict, training: bool = False) -> dict:
        data = self.cast_data(data)
        inputs = data['inputs']
        if isinstance(inputs, (list, tuple)):
            sizes = {tuple(x.shape) for x in inputs}
            if len(sizes) != 1:
                raise ValueError(f'images in one batch must have one size, got {sorted(sizes)}')
            inputs = torch.stack(list(inputs))
        if inputs.dim() != 4 or inputs.shape[1] != 3:
            raise ValueError(f'inputs must be (B, 3, H, W) images, got {tuple(inputs.shape)}')
        inputs = (inputs.float() - self.mean) / self.std
        return dict(inputs=inputs, data_samples=data.get('data_samples'))
