"""Hand decoder: MANO pose (16 x 6D), shape and root, through the MANO layer."""
from typing import Dict, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from hoverse.geometry.camera import backproject_points
from hoverse.geometry.rotations import matrix_to_rot6d
from hoverse.hand_models import warn_if_surrogate
from hoverse.registry import KEYPOINT_CODECS, MODELS

from .base_head import LossOwnerMixin, kpt_layout, normalised_kpts
from .iterative_regressor import IterativeRegressor

IDENTITY_6D = torch.tensor([1.0, 0, 0, 0, 1.0, 0])


@MODELS.register_module()
class MANOHead(LossOwnerMixin, nn.Module):
    """Regresses MANO parameters from the hand branch, poses the MANO layer, and owns the
    hand losses.

    Inputs: the hand map (global average pooled) and, when ``use_kpt_feats``, D-BFAM's
    ``num_joints`` hand keypoint features and, when ``use_kpt_coords``, their 2D positions
    (normalised to [-1, 1] over the crop): the skeleton's 2D layout is the most direct cue
    to the hand's orientation and articulation; when ``use_kpt_layout``, also their layout
    (relative to the wrist, scaled to unit extent: :func:`kpt_layout`). Parameters
    (iteratively refined, ``num_iters`` steps): pose as 16 x 6D rotations (global
    orientation in the crop camera frame first), 10 shape coefficients, and a root depth
    code. The root position is the back-projection of the predicted 2D wrist (or the crop
    centre) at depth ``f * ref_size / input_size * exp(code)``.

    ``forward(feats, cam_K (B, 3, 3), input_size)`` returns ``rot6d (B, 16, 6)``,
    ``betas (B, 10)``, ``rotmats (B, 16, 3, 3)``, root-relative ``verts (B, 778, 3)`` and
    ``joints (B, 21, 3)`` in metres, and ``root_cam (B, 3)`` (crop camera frame, metres).

    Losses (each ``dict(type=..., loss_weight=...)`` or ``None`` to drop it; keys
    ``loss_joints``, ``loss_root``, ``loss_verts``, ``loss_mano``, ``loss_edge``,
    ``loss_normal``, ``loss_hand_heatmap`` for D-BFAM's hand heatmaps, and the optional
    ``loss_global_orient``, a geodesic loss on the hand's global orientation alone, and
    ``loss_articulation``, the joints posed with the predicted finger pose and shape under
    the ground-truth global orientation: it supervises the articulation apart from the
    orientation, so that an uncertain orientation does not pull the fingers towards the
    mean of all orientations, a curled hand).

    ``test_fit``: an optional test-time refinement (e.g. ``dict(type='HandKeypointFitter')``)
    that ``predict`` applies, given the crop cameras, to fit the regressed hand to D-BFAM's
    2D joints; ``None`` (default) reports the regression.
    """

    def __init__(self, mano: dict, in_channels: int = 256, kpt_channels: int = 128,
                 hidden: int = 512, num_iters: int = 3, use_kpt_feats: bool = True,
                 use_kpt_coords: bool = False, use_kpt_layout: bool = False,
                 ref_size: float = 0.25, num_joints: int = 21,
                 loss_joints: Optional[dict] = dict(type='PointL1Loss', loss_weight=10.0),
                 loss_root: Optional[dict] = dict(type='PointL1Loss', loss_weight=1.0),
                 loss_verts: Optional[dict] = dict(type='PointL1Loss', loss_weight=10.0),
                 loss_mano: Optional[dict] = dict(type='MANOParamLoss', loss_weight=1.0,
                                                  shape_weight=0.1),
                 loss_edge: Optional[dict] = dict(type='EdgeLengthLoss', loss_weight=10.0),
                 loss_normal: Optional[dict] = dict(type='NormalConsistencyLoss',
                                                    loss_weight=0.1),
                 loss_heatmap: Optional[dict] = dict(type='HeatmapLoss', loss_weight=1.0,
                                                     coord_weight=1.0),
                 loss_global_orient: Optional[dict] = None,
                 loss_articulation: Optional[dict] = None,
                 test_fit: Optional[dict] = None,
                 codec: dict = dict(type='SoftArgmaxHeatmap', input_size=256,
                                    heatmap_size=32)) -> None:
        super().__init__()
        self.codec = KEYPOINT_CODECS.build(codec)
        self.mano = MODELS.build(dict(mano, root_relative=True))
        warn_if_surrogate(self.mano)  # results from the surrogate are not MANO's
        self.use_kpt_feats = use_kpt_feats
        self.ref_size = ref_size
        self.kpt_proj = nn.Linear(num_joints * kpt_channels, hidden) if use_kpt_feats else None
        self.use_kpt_coords = use_kpt_coords
        self.use_kpt_layout = use_kpt_layout
        feat_dim = (in_channels + (hidden if use_kpt_feats else 0)
                    + 2 * num_joints * (int(use_kpt_coords) + int(use_kpt_layout)))
        init = torch.cat([IDENTITY_6D.repeat(16), torch.zeros(10 + 1)])
        self.regressor = IterativeRegressor(feat_dim, init, hidden, num_iters)
        self.test_fit = MODELS.build(test_fit) if test_fit else None
        self.build_losses(dict(joints=loss_joints, root=loss_root, verts=loss_verts,
                               mano=loss_mano, edge=loss_edge, normal=loss_normal,
                               hand_heatmap=loss_heatmap, global_orient=loss_global_orient,
                               articulation=loss_articulation))

    def forward(self, feats: Dict[str, torch.Tensor], cam_K: torch.Tensor,
                input_size: float = 256.0) -> Dict[str, torch.Tensor]:
        x = F.adaptive_avg_pool2d(feats['hand'], 1).flatten(1)
        if self.use_kpt_feats:
            if 'hand_kpt_feats' not in feats:
                raise KeyError('MANOHead(use_kpt_feats=True) needs D-BFAM\'s hand_kpt_feats; '
                               'set use_kpt_feats=False when the model has no DBFAM neck')
            x = torch.cat([x, torch.relu(self.kpt_proj(feats['hand_kpt_feats'].flatten(1)))], 1)
        if self.use_kpt_coords:
            x = torch.cat([x, normalised_kpts(feats, 'hand_kpts', input_size, 'MANOHead')], 1)
        if self.use_kpt_layout:
            x = torch.cat([x, kpt_layout(feats, 'hand_kpts', 0, 'MANOHead')], 1)
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

    @torch.no_grad()
    def ground_truth_mesh(self, targets: Dict) -> Dict[str, torch.Tensor]:
        """The MANO layer posed with the ground-truth parameters (root-relative, crop
        frame), computed once per batch: kept in ``targets['gt_mano']`` for every loss
        (and subclass) that reads it."""
        if 'gt_mano' not in targets:
            pose = targets['mano_pose']
            targets['gt_mano'] = self.mano(pose[:, :3], pose[:, 3:], targets['mano_shape'])
        return targets['gt_mano']

    def loss(self, out: Dict[str, torch.Tensor], feats: Dict[str, torch.Tensor],
             targets: Dict) -> Dict[str, torch.Tensor]:
        """Hand losses of ``forward``'s ``out`` against ``targets`` (see
        :func:`hoverse.models.reconstructors.collect_targets`)."""
        L, losses = self.losses, {}
        jv, hm = targets['joints_valid'].reshape(-1), targets['has_mano'].reshape(-1)
        if 'joints' in L:
            losses['loss_joints'] = L['joints'](out['joints'], targets['joints_3d'], jv)
        if 'root' in L:
            losses['loss_root'] = L['root'](out['root_cam'], targets['root_cam'])
        if any(k in L for k in ('verts', 'mano', 'edge', 'normal', 'global_orient',
                                'articulation')):
            gt = self.ground_truth_mesh(targets)
            faces = self.mano.faces
            if 'verts' in L:
                losses['loss_verts'] = L['verts'](out['verts'], gt['verts'], hm)
            if 'mano' in L:
                losses['loss_mano'] = L['mano'](out['rotmats'], out['betas'], gt['rotmats'],
                                                targets['mano_shape'], hm)
            if 'edge' in L:
                losses['loss_edge'] = L['edge'](out['verts'], gt['verts'], faces, hm)
            if 'normal' in L:
                losses['loss_normal'] = L['normal'](out['verts'], gt['verts'], faces, hm)
            if 'global_orient' in L:
                losses['loss_global_orient'] = L['global_orient'](
                    out['rotmats'][:, 0], gt['rotmats'][:, 0], hm)
            if 'articulation' in L:
                posed = self.mano(matrix_to_rot6d(gt['rotmats'][:, 0]), out['rot6d'][:, 1:],
                                  out['betas'], pose_type='rot6d')
                losses['loss_articulation'] = L['articulation'](
                    posed['joints'], targets['joints_3d'], jv * hm)
        if 'hand_heatmap' in L and 'hand_heatmaps' in feats:
            logits = feats['hand_heatmaps']
            self.codec.check(logits.shape[-2:], 'hand heatmaps')
            target = self.codec.encode(targets['keypoints_2d'])
            losses['loss_hand_heatmap'] = L['hand_heatmap'](
                logits, target, feats['hand_kpts'], targets['keypoints_2d'],
                targets['input_size'], jv)
        return losses

    def predict(self, out: Dict[str, torch.Tensor],
                feats: Optional[Dict[str, torch.Tensor]] = None,
                cam_K: Optional[torch.Tensor] = None) -> Dict[str, torch.Tensor]:
        """Per-sample prediction fields (crop camera frame, root-relative, metres):
        ``joints_3d (B, 21, 3)``, ``verts_3d (B, 778, 3)``, ``mano_rot6d``, ``mano_shape``,
        ``root_cam_pred (B, 3)`` and, with D-BFAM's ``feats``, its 2D joints
        ``hand_kpts_2d (B, 21, 2)`` (crop pixels). With ``test_fit``, the hand fields are
        the fitted hand's, which needs ``feats`` with D-BFAM's 2D joints and ``cam_K (B, 3,
        3)``."""
        if self.test_fit is not None:
            if cam_K is None or feats is None or 'hand_kpts' not in feats:
                raise ValueError('MANOHead(test_fit=...) fits the hand to D-BFAM\'s 2D joints: '
                                 'predict needs feats with hand_kpts and the crop cameras '
                                 'cam_K; set test_fit=None for a model without them')
            out = self.test_fit(self.mano, out['rot6d'], out['betas'], out['root_cam'],
                                feats['hand_kpts'], cam_K)
        pred = dict(joints_3d=out['joints'], verts_3d=out['verts'], mano_rot6d=out['rot6d'],
                    mano_shape=out['betas'], root_cam_pred=out['root_cam'])
        if feats is not None and 'hand_kpts' in feats:
            pred['hand_kpts_2d'] = feats['hand_kpts']
        return pred
