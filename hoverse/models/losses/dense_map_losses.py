"""Losses on dense per-cell maps: object coordinate maps and the object's visibility mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from hoverse.registry import MODELS


def _check_maps(pred: torch.Tensor, target: torch.Tensor, weight: torch.Tensor,
                owner: str) -> None:
    if pred.shape != target.shape or weight.shape != (pred.shape[0], *pred.shape[-2:]):
        raise ValueError(f'{owner}: expected pred and target (B, C, h, w) alike and weight '
                         f'(B, h, w); got {tuple(pred.shape)}, {tuple(target.shape)}, '
                         f'{tuple(weight.shape)}')


@MODELS.register_module()
class MaskedMapL1Loss(nn.Module):
    """Mean L1 over the cells of ``pred (B, C, h, w)`` where ``weight (B, h, w)`` > 0
    (each cell's ``C`` channels averaged); 0 when no cell has a target."""

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, pred: torch.Tensor, target: torch.Tensor,
                weight: torch.Tensor) -> torch.Tensor:
        _check_maps(pred, target, weight, 'MaskedMapL1Loss')
        w = weight.to(pred.dtype)[:, None]
        per_cell = ((pred - target).abs() * w).sum() / pred.shape[1]
        return self.loss_weight * per_cell / w.sum().clamp(min=1.0)


@MODELS.register_module()
class MapBCELoss(nn.Module):
    """Binary cross-entropy of ``logits (B, 1, h, w)`` against ``target (B, h, w)`` in
    [0, 1], mean over cells."""

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        if logits.dim() != 4 or logits.shape[1] != 1 or \
                target.shape != (logits.shape[0], *logits.shape[-2:]):
            raise ValueError(f'MapBCELoss: expected logits (B, 1, h, w) and target (B, h, w); '
                             f'got {tuple(logits.shape)} and {tuple(target.shape)}')
        return self.loss_weight * F.binary_cross_entropy_with_logits(
            logits[:, 0].float(), target.float())
