"""Object decoder: rotation (6D) and translation relative to the hand root."""
from typing import Dict

import torch
import torch.nn as nn
import torch.nn.functional as F

from hoverse.geometry.rotations import rot6d_to_matrix
from hoverse.registry import MODELS

from .iterative_regressor import IterativeRegressor
from .mano_head import IDENTITY_6D


@MODELS.register_module()
class ObjectPoseHead(nn.Module):
    """Regresses the object's pose from the object branch (and the pooled hand branch, since
    the translation is relative to the hand root).

    ``forward(feats)`` returns ``rot6d (B, 6)``, ``rot (B, 3, 3)`` (model -> crop camera
    frame) and ``trans_rel (B, 3)`` metres, the object origin relative to the hand root.
    D-BFAM's object keypoints (``object_kpts``, 8 corners + centre) are the 2D output.
    """

    def __init__(self, in_channels: int = 256, kpt_channels: int = 128, hidden: int = 512,
                 num_iters: int = 3, use_kpt_feats: bool = True, trans_scale: float = 0.1) -> None:
        super().__init__()
        self.use_kpt_feats = use_kpt_feats
        self.trans_scale = trans_scale
        self.kpt_proj = nn.Linear(9 * kpt_channels, hidden) if use_kpt_feats else None
        feat_dim = 2 * in_channels + (hidden if use_kpt_feats else 0)
        self.regressor = IterativeRegressor(feat_dim, torch.cat([IDENTITY_6D, torch.zeros(3)]),
                                            hidden, num_iters)

    def forward(self, feats: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
        x = [F.adaptive_avg_pool2d(feats['object'], 1).flatten(1),
             F.adaptive_avg_pool2d(feats['hand'], 1).flatten(1)]
        if self.use_kpt_feats:
            if 'object_kpt_feats' not in feats:
                raise KeyError('ObjectPoseHead(use_kpt_feats=True) needs D-BFAM\'s '
                               'object_kpt_feats; set use_kpt_feats=False without DBFAM')
            x.append(torch.relu(self.kpt_proj(feats['object_kpt_feats'].flatten(1))))
        params = self.regressor(torch.cat(x, 1))
        rot6d = params[:, :6]
        return dict(rot6d=rot6d, rot=rot6d_to_matrix(rot6d),
                    trans_rel=params[:, 6:9] * self.trans_scale)
