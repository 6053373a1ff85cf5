"""MeshRefineHead: MANO regression, then per-vertex graph refinement of the 778 vertices."""
from typing import Dict, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from hoverse.geometry.camera import project_points
from hoverse.models.heads import MANOHead
from hoverse.models.heads.base_head import crop_size, meta_field
from hoverse.models.necks import TopologyGCN
from hoverse.registry import MODELS


def mesh_edges(faces: torch.Tensor) -> list:
    """The undirected edges ``[(a, b), ...]`` (a < b) of a triangle mesh ``faces (F, 3)``."""
    e = torch.cat([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]).sort(1).values
    return [tuple(p) for p in torch.unique(e, dim=0).tolist()]


@MODELS.register_module()
class MeshRefineHead(MANOHead):
    """A hand decoder that regresses the mesh itself: :class:`hoverse.models.heads.MANOHead`
    gives a coarse MANO mesh; each of its 778 vertices then gathers the hand feature map
    where it projects, and graph convolutions over the mesh edges regress a per-vertex
    offset (metres). Joints come from the refined vertices through MANO's joint regressor
    and fingertip vertices, so every hand loss of the parent reads the refined mesh;
    ``loss_coarse`` (``None`` to drop it) keeps supervising the MANO mesh under it.

    ``forward`` returns the parent's dict with ``verts`` and ``joints`` refined (root-relative,
    crop camera frame, metres) and ``coarse_verts (B, 778, 3)``. The offset layer starts at
    zero, so an untrained refinement returns the MANO mesh.
    """

    def __init__(self, *args, refine_channels: int = 64, refine_layers: int = 2,
                 offset_scale: float = 0.01,
                 loss_coarse: Optional[dict] = dict(type='PointL1Loss', loss_weight=5.0),
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        in_channels = kwargs.get('in_channels', 256)
        self.offset_scale = offset_scale
        self.vert_in = nn.Linear(in_channels + 3, refine_channels)
        self.gcn = TopologyGCN(refine_channels, mesh_edges(self.mano.faces.cpu()),
                               self.mano.v_template.shape[0], refine_layers)
        self.offset = nn.Linear(refine_channels, 3)
        nn.init.zeros_(self.offset.weight)
        nn.init.zeros_(self.offset.bias)
        if loss_coarse is not None:
            self.losses['coarse'] = MODELS.build(loss_coarse)

    def forward(self, feats: Dict, batch_data_samples) -> Dict[str, torch.Tensor]:
        out = super().forward(feats, batch_data_samples)
        input_size = crop_size(feats)
        cam_K = meta_field(batch_data_samples, 'cam_K', out['verts'].device)
        coarse = out['verts']  # (B, 778, 3), root-relative
        uv = project_points(coarse + out['root_cam'][:, None], cam_K.to(coarse.dtype))
        grid = (uv / input_size * 2 - 1)[:, :, None]  # (B, 778, 1, 2) in [-1, 1]
        sampled = F.grid_sample(feats['hand'], grid, align_corners=False)[..., 0]
        x = torch.cat([sampled.transpose(1, 2), coarse * 10.0], -1)  # decimetres
        offsets = self.offset(self.gcn(torch.relu(self.vert_in(x)))) * self.offset_scale
        verts = coarse + offsets
        m = self.mano
        joints = torch.cat([m.J_regressor.to(verts.dtype) @ verts, verts[:, m.tip_ids]], 1)
        root = joints[:, :1]
        return dict(out, verts=verts - root, joints=joints - root, coarse_verts=coarse)

    def loss(self, feats: Dict, batch_data_samples, train_cfg: Optional[dict] = None
             ) -> Dict[str, torch.Tensor]:
        """The parent's losses on the refined mesh, plus ``loss_coarse`` on the MANO mesh."""
        losses = super().loss(feats, batch_data_samples, train_cfg)
        if 'coarse' in self.losses:
            out = self.outputs(feats, batch_data_samples)
            gt = self.gt_mesh(feats, batch_data_samples)  # the parent's, not posed again
            has_mano = self.targets(feats, batch_data_samples)['has_mano'].reshape(-1)
            losses['loss_coarse'] = self.losses['coarse'](out['coarse_verts'], gt['verts'],
                                                          has_mano)
        return losses
