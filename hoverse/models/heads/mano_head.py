"""Hand decoder: MANO pose (16 x 6D), shape and root, through the MANO layer."""
from typing import Dict

import torch
import torch.nn as nn
import torch.nn.functional as F

from hoverse.geometry.camera import backproject_points
from hoverse.registry import MODELS

from .iterative_regressor import IterativeRegressor

IDENTITY_6D = torch.tensor([1.0, 0, 0, 0, 1.0, 0])


@MODELS.register_module()
class MANOHead(nn.Module):
    """Regresses MANO parameters from the hand branch and poses the MANO layer.

    Inputs: the hand map (global average pooled) and, when ``use_kpt_feats``, D-BFAM's
    21 hand keypoint features. Parameters (iteratively refined, ``num_iters`` steps): pose
    as 16 x 6D rotations (global orientation in the crop camera frame first), 10 shape
    coefficients, and a root depth code. The root position is the back-projection of the
    predicted 2D wrist (or the crop centre) at depth ``f * ref_size / input_size *
    exp(code)``.

    ``forward(feats, cam_K (B, 3, 3), input_size)`` returns ``rot6d (B, 16, 6)``,
    ``betas (B, 10)``, ``rotmats (B, 16, 3, 3)``, root-relative ``verts (B, 778, 3)`` and
    ``joints (B, 21, 3)`` in metres, and ``root_cam (B, 3)`` (crop camera frame, metres).
    """

    def __init__(self, mano: dict, in_channels: int = 256, kpt_channels: int = 128,
                 hidden: int = 512, num_iters: int = 3, use_kpt_feats: bool = True,
                 ref_size: float = 0.25) -> None:
        super().__init__()
        self.mano = MODELS.build(dict(mano, root_relative=True))
        self.use_kpt_feats = use_kpt_feats
        self.ref_size = ref_size
        self.kpt_proj = nn.Linear(21 * kpt_channels, hidden) if use_kpt_feats else None
        feat_dim = in_channels + (hidden if use_kpt_feats else 0)
        init = torch.cat([IDENTITY_6D.repeat(16), torch.zeros(10 + 1)])
        self.regressor = IterativeRegressor(feat_dim, init, hidden, num_iters)

    def forward(self, feats: Dict[str, torch.Tensor], cam_K: torch.Tensor,
                input_size: float = 256.0) -> Dict[str, torch.Tensor]:
        x = F.adaptive_avg_pool2d(feats['hand'], 1).flatten(1)
        if self.use_kpt_feats:
            if 'hand_kpt_feats' not in feats:
                raise KeyError('MANOHead(use_kpt_feats=True) needs D-BFAM\'s hand_kpt_feats; '
                               'set use_kpt_feats=False when the model has no DBFAM neck')
            x = torch.cat([x, torch.relu(self.kpt_proj(feats['hand_kpt_feats'].flatten(1)))], 1)
        params = self.regressor(x)
        B = params.shape[0]
        rot6d = params[:, :96].view(B, 16, 6)
        betas = params[:, 96:106]
        out = self.mano(rot6d[:, 0], rot6d[:, 1:], betas, pose_type='rot6d')
        K = cam_K.to(params.dtype)
        if 'hand_kpts' in feats:
            uv = feats['hand_kpts'][:, 0]
        else:
            uv = K[:, :2, 2]
        depth = K[:, 0, 0] * self.ref_size / input_size * torch.exp(params[:, 106].clamp(-3, 3))
        root = backproject_points(uv[:, None], depth[:, None], K)[:, 0]
        return dict(rot6d=rot6d, betas=betas, rotmats=out['rotmats'], verts=out['verts'],
                    joints=out['joints'], root_cam=root)
