"""Distance and parameter losses (inputs in metres; weights from config)."""
from typing import Optional

import torch
import torch.nn as nn

from hoverse.geometry.rotations import geodesic_distance
from hoverse.registry import MODELS

from .precision import float32_forward


def masked_mean(per_sample: torch.Tensor, weight: Optional[torch.Tensor]) -> torch.Tensor:
    """Mean of ``per_sample (B,)`` over samples with ``weight > 0``; 0 when there are none."""
    if weight is None:
        return per_sample.mean()
    w = weight.to(per_sample).reshape(-1)
    return (per_sample * w).sum() / w.sum().clamp(min=1.0)


@MODELS.register_module()
class PointL1Loss(nn.Module):
    """Mean L1 distance between point sets ``(B, N, 3)`` (joints, vertices, corners), or
    vectors ``(B, D)``; ``weight (B,)`` masks samples without ground truth."""

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, pred: torch.Tensor, target: torch.Tensor,
                weight: Optional[torch.Tensor] = None) -> torch.Tensor:
        per = (pred - target).abs().flatten(1).mean(1)
        return self.loss_weight * masked_mean(per, weight)


@MODELS.register_module()
class MANOParamLoss(nn.Module):
    """MSE on MANO joint rotation matrices ``(B, 16, 3, 3)`` plus ``shape_weight`` x MSE on
    betas ``(B, 10)``; only for samples whose GT has MANO parameters."""

    def __init__(self, loss_weight: float = 1.0, shape_weight: float = 0.1) -> None:
        super().__init__()
        self.loss_weight, self.shape_weight = loss_weight, shape_weight

    def forward(self, rotmats: torch.Tensor, betas: torch.Tensor, gt_rotmats: torch.Tensor,
                gt_betas: torch.Tensor, weight: Optional[torch.Tensor] = None) -> torch.Tensor:
        per = ((rotmats - gt_rotmats)**2).flatten(1).mean(1) + \
            self.shape_weight * ((betas - gt_betas)**2).mean(1)
        return self.loss_weight * masked_mean(per, weight)


@MODELS.register_module()
class GeodesicRotationLoss(nn.Module):
    """Mean geodesic angle (radians) between rotations ``(B, 3, 3)``."""

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    @float32_forward
    def forward(self, pred: torch.Tensor, target: torch.Tensor,
                weight: Optional[torch.Tensor] = None) -> torch.Tensor:
        return self.loss_weight * masked_mean(geodesic_distance(pred, target), weight)


@MODELS.register_module()
class HeatmapLoss(nn.Module):
    """KL divergence from the normalised Gaussian target to the soft-argmax distribution
    (cross-entropy minus the target's entropy, so 0 at the optimum), plus ``coord_weight``
    x L1 of the decoded coordinates (normalised by the input size).

    ``forward(logits (B, K, h, w), target (B, K, h, w), coords (B, K, 2), gt (B, K, 2),
    input_size, weight (B,), kpt_weight (B, K))``: ``kpt_weight`` leaves keypoints out
    (e.g. the box corners of a fully symmetric object); the mean is over weighted ones.
    """

    def __init__(self, loss_weight: float = 1.0, coord_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight, self.coord_weight = loss_weight, coord_weight

    def forward(self, logits, target, coords, gt, input_size: float,
                weight: Optional[torch.Tensor] = None,
                kpt_weight: Optional[torch.Tensor] = None) -> torch.Tensor:
        t = target.flatten(2)
        t = t / t.sum(-1, keepdim=True).clamp(min=1e-8)
        kl = (t * (torch.log(t.clamp(min=1e-12)) - torch.log_softmax(logits.flatten(2), -1))
              ).sum(-1)
        l1 = ((coords - gt).abs() / input_size).mean(-1)
        per_kpt = kl + self.coord_weight * l1  # (B, K)
        if kpt_weight is None:
            per = per_kpt.mean(1)
        else:
            kw = kpt_weight.to(per_kpt)
            per = (per_kpt * kw).sum(1) / kw.sum(1).clamp(min=1.0)
        return self.loss_weight * masked_mean(per, weight)
