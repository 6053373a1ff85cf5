"""Ground-truth assignment for symmetric objects: the equivalent pose nearest the prediction."""
from typing import Tuple

import torch

from hoverse.geometry.symmetric_pose import SymmetryBatch, nearest_symmetric_pose
from hoverse.registry import TASK_UTILS


@TASK_UTILS.register_module()
class NearestSymmetricPose:
    """Replaces the ground-truth object pose by its symmetric equivalent nearest the
    prediction (min over the discrete set, closed form about a continuous axis), so every
    object loss (rotation, translation, corners, vertices, keypoint heatmaps) sees a target
    the image can tell apart. For a fully symmetric object the rotation target is the
    prediction itself (its rotation term vanishes) and only its centre is a keypoint.

    ``__call__(R_pred (B, 3, 3), R_gt, t_gt (B, 3), symmetry)`` returns ``(R*, t*, rot_weight
    (B,), kpt_weight (B, 9))``: ``rot_weight`` is 0 for fully symmetric objects,
    ``kpt_weight`` keeps only the centre (last keypoint) for them.
    """

    def __call__(self, R_pred: torch.Tensor, R_gt: torch.Tensor, t_gt: torch.Tensor,
                 symmetry: SymmetryBatch, num_kpts: int = 9
                 ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        R_star, t_star = nearest_symmetric_pose(R_pred, R_gt, t_gt, symmetry)
        full = symmetry.full.to(R_gt.dtype)
        kpt_weight = torch.ones(R_gt.shape[0], num_kpts, dtype=R_gt.dtype, device=R_gt.device)
        kpt_weight[:, :-1] = (1 - full)[:, None]
        return R_star, t_star, 1 - full, kpt_weight
