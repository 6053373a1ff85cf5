"""Physical plausibility: SDF penetration and contact losses."""
from typing import Optional, Sequence

import torch
import torch.nn as nn

from hoverse.objects.sdf import SDFGrid
from hoverse.registry import MODELS

from ..utils.physics import depth_inside_hand, query_sdf, to_object_frame
from .precision import float32_forward


@MODELS.register_module()
class SDFPenetrationLoss(nn.Module):
    """Interpenetration of hand and object.

    ``hand term``: mean over hand vertices of ``relu(-sdf_object(v))`` (vertices moved into
    the object's model frame, SDF grid looked up trilinearly). ``object term``: mean over
    object surface samples of their depth inside the closed hand mesh (nearest hand vertex
    and its normal), weighted by ``object_weight``. Differentiable in the hand vertices and
    the object pose; exactly zero for separated meshes.

    ``forward(hand_verts (B, V, 3), obj_rot (B, 3, 3), obj_trans (B, 3), grids [B],
    obj_samples (B, S, 3) model frame or None, hand_faces (F, 3) closed, mirrored [B])``;
    ``hand_verts`` and the object pose in one frame (hoverse: the hand-root frame).
    """

    def __init__(self, loss_weight: float = 1.0, object_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight, self.object_weight = loss_weight, object_weight

    @float32_forward
    def forward(self, hand_verts: torch.Tensor, obj_rot: torch.Tensor, obj_trans: torch.Tensor,
                grids: Sequence[SDFGrid], obj_samples: Optional[torch.Tensor] = None,
                hand_faces: Optional[torch.Tensor] = None,
                mirrored: Optional[Sequence[bool]] = None) -> torch.Tensor:
        sdf = query_sdf(grids, to_object_frame(hand_verts, obj_rot, obj_trans), mirrored)
        loss = torch.relu(-sdf).mean()
        if self.object_weight > 0 and obj_samples is not None and hand_faces is not None:
            pts = obj_samples @ obj_rot.transpose(1, 2) + obj_trans[:, None]
            loss = loss + self.object_weight * depth_inside_hand(pts, hand_verts, hand_faces).mean()
        return self.loss_weight * loss


@MODELS.register_module()
class ContactLoss(nn.Module):
    """Attraction of hand vertices that are within ``threshold`` metres outside the object
    surface: the mean over all hand vertices of ``sdf * [0 < sdf < threshold]``. Zero when
    the hand is farther than ``threshold`` (or only inside, which the penetration loss
    handles)."""

    def __init__(self, loss_weight: float = 1.0, threshold: float = 0.005) -> None:
        super().__init__()
        self.loss_weight, self.threshold = loss_weight, threshold

    @float32_forward
    def forward(self, hand_verts: torch.Tensor, obj_rot: torch.Tensor, obj_trans: torch.Tensor,
                grids: Sequence[SDFGrid], mirrored: Optional[Sequence[bool]] = None
                ) -> torch.Tensor:
        sdf = query_sdf(grids, to_object_frame(hand_verts, obj_rot, obj_trans), mirrored)
        near = (sdf > 0) & (sdf < self.threshold)
        return self.loss_weight * (sdf * near).mean()
