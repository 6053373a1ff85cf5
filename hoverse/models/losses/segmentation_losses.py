"""Per-pixel classification losses."""
from typing import Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

from hoverse.registry import MODELS


@MODELS.register_module()
class SegmentationCELoss(nn.Module):
    """Per-pixel cross-entropy ``logits (B, K, H, W)`` vs ``labels (B, H, W)`` (int),
    mean over pixels; ``class_weight`` (K,) re-weights rare classes (the object)."""

    def __init__(self, loss_weight: float = 1.0,
                 class_weight: Optional[Sequence[float]] = None) -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self.register_buffer('class_weight', None if class_weight is None else
                             torch.tensor(class_weight, dtype=torch.float32), persistent=False)

    def forward(self, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        return self.loss_weight * F.cross_entropy(logits, labels, weight=self.class_weight)
