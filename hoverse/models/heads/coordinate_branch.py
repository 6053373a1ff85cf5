"""A dense branch that predicts the object's coordinate map and where the object is seen."""
from typing import Dict

import torch
import torch.nn as nn


class CoordinateMapBranch(nn.Module):
    """``forward(x (B, C, h, w)) -> dict(coords (B, 3, s*h, s*w), mask_logits (B, 1, s*h,
    s*w))`` with ``s = upsample``: normalised model coordinates (``tanh``, in [-1, 1]) and
    the logit of the cell showing the object (``ObjectCoordinateMap``'s targets)."""

    def __init__(self, in_channels: int, hidden: int = 64, upsample: int = 2) -> None:
        super().__init__()
        if upsample not in (1, 2, 4):
            raise ValueError(f'CoordinateMapBranch: upsample must be 1, 2 or 4, got {upsample}')
        layers = [nn.Conv2d(in_channels, hidden, 3, padding=1, bias=False),
                  nn.BatchNorm2d(hidden), nn.ReLU(inplace=True)]
        for _ in range({1: 0, 2: 1, 4: 2}[upsample]):
            layers += [nn.ConvTranspose2d(hidden, hidden, 4, stride=2, padding=1, bias=False),
                       nn.BatchNorm2d(hidden), nn.ReLU(inplace=True)]
        layers += [nn.Conv2d(hidden, hidden, 3, padding=1, bias=False),
                   nn.BatchNorm2d(hidden), nn.ReLU(inplace=True), nn.Conv2d(hidden, 4, 1)]
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        y = self.net(x)
        return dict(coords=torch.tanh(y[:, :3]), mask_logits=y[:, 3:])
