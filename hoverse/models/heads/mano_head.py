"""Hand decoder: MANO pose (16 x 6D), shape and root, through the MANO layer."""
from typing import Dict, Optional

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from hoverse.geometry.camera import backproject_points, crop_to_camera
from hoverse.geometry.rotations import IDENTITY_6D, matrix_to_rot6d
from hoverse.hand_models import warn_if_surrogate
from hoverse.registry import KEYPOINT_CODECS, MODELS

from .base_head import BaseHead, Samples, crop_size, gt_field, meta_field
from .iterative_regressor import IterativeRegressor
from .regressor_inputs import kpt_layout, normalised_kpts

#: ground truth the hand losses read (``gt_instances.<key>``)
HAND_TARGETS = ('joints_3d', 'keypoints_2d', 'joints_valid', 'root_cam', 'mano_pose',
                'mano_shape', 'has_mano')
#: a sample's own 2D hand joints for the test-time fit (``metainfo``, crop pixels, the
#: canonical order), e.g. a hand detector's landmarks mapped into the crop
FIT_EVIDENCE_KEY = 'hand_kpts_evidence'


@MODELS.register_module()
class MANOHead(BaseHead):
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

    ``forward(feats, batch_data_samples)`` (the crop cameras: ``metainfo['cam_K']``)
    returns ``rot6d (B, 16, 6)``, ``betas (B, 10)``, ``rotmats (B, 16, 3, 3)``,
    root-relative ``verts (B, 778, 3)`` and ``joints (B, 21, 3)`` in metres, ``root_cam (B,
    3)`` (crop camera frame, metres) and ``closed_faces (F, 3)``, the MANO mesh closed at
    the wrist (the physics' inside test). Its outputs are ``feats['hand_out']``.

    Losses (each ``dict(type=..., loss_weight=...)`` or ``None`` to drop it; keys
    ``loss_joints``, ``loss_root``, ``loss_verts``, ``loss_mano``, ``loss_edge``,
    ``loss_normal``, ``loss_hand_heatmap`` for D-BFAM's hand heatmaps, and the optional
    ``loss_global_orient``, a geodesic loss on the hand's global orientation alone, and
    ``loss_articulation``, the joints posed with the predicted finger pose and shape under
    the ground-truth global orientation: it supervises the articulation apart from the
    orientation, so that an uncertain orientation does not pull the fingers towards the
    mean of all orientations, a curled hand).

    ``test_fit``: an optional test-time refinement (e.g. ``dict(type='HandKeypointFitter')``)
    that ``predict`` applies to fit the regressed hand to 2D joints: a sample's own
    (``metainfo['hand_kpts_evidence'] (21, 2)``, crop pixels, e.g. a hand detector's
    landmarks) where it has them, else D-BFAM's; ``None`` (default) reports the regression.
    """

    out_key = 'hand'

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

    def forward(self, feats: Dict, batch_data_samples: Samples) -> Dict[str, torch.Tensor]:
        input_size = crop_size(feats)
        cam_K = meta_field(batch_data_samples, 'cam_K', feats['hand'].device)
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
                    joints=out['joints'], root_cam=root, closed_faces=self.mano.closed_faces)

    def targets(self, feats: Dict, batch_data_samples: Samples) -> Dict[str, torch.Tensor]:
        """The hand losses' ground truth (:data:`HAND_TARGETS`), gathered once per batch."""
        if '_hand_targets' not in feats:
            dev = feats['hand'].device
            feats['_hand_targets'] = {k: gt_field(batch_data_samples, k, dev)
                                      for k in HAND_TARGETS}
        return feats['_hand_targets']

    @torch.no_grad()
    def gt_mesh(self, feats: Dict, batch_data_samples: Samples) -> Dict[str, torch.Tensor]:
        """The MANO layer posed with the ground-truth parameters (root-relative, crop
        frame), computed once per batch for every loss (and subclass) that reads it."""
        if '_gt_mano' not in feats:
            t = self.targets(feats, batch_data_samples)
            pose = t['mano_pose']
            feats['_gt_mano'] = self.mano(pose[:, :3], pose[:, 3:], t['mano_shape'])
        return feats['_gt_mano']

    def loss(self, feats: Dict, batch_data_samples: Samples,
             train_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
        out = self.outputs(feats, batch_data_samples)
        targets = self.targets(feats, batch_data_samples)
        L, losses = self.losses, {}
        jv, hm = targets['joints_valid'].reshape(-1), targets['has_mano'].reshape(-1)
        if 'joints' in L:
            losses['loss_joints'] = L['joints'](out['joints'], targets['joints_3d'], jv)
        if 'root' in L:
            losses['loss_root'] = L['root'](out['root_cam'], targets['root_cam'])
        if any(k in L for k in ('verts', 'mano', 'edge', 'normal', 'global_orient',
                                'articulation')):
            gt = self.gt_mesh(feats, batch_data_samples)
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
                logits, target, feats['hand_kpts'], targets['keypoints_2d'], crop_size(feats),
                jv)
        return losses

    def fit_evidence(self, feats: Dict, batch_data_samples: Samples) -> torch.Tensor:
        """``(B, 21, 2)`` crop pixels: the 2D joints the test-time fit aims at, each
        sample's own (``metainfo['hand_kpts_evidence']``) where it has them, else
        D-BFAM's."""
        own = [s.metainfo.get(FIT_EVIDENCE_KEY) for s in batch_data_samples]
        if 'hand_kpts' not in feats and any(e is None for e in own):
            raise ValueError('MANOHead(test_fit=...) fits the hand to 2D joints: a sample '
                             f"has no metainfo['{FIT_EVIDENCE_KEY}'] and the model no "
                             "D-BFAM 2D joints; set test_fit=None")
        kpts = feats.get('hand_kpts')
        rows = [torch.as_tensor(e, dtype=torch.float32, device=feats['hand'].device)
                if e is not None else kpts[b] for b, e in enumerate(own)]
        shapes = {tuple(r.shape) for r in rows}
        if len(shapes) != 1:
            raise ValueError(f'MANOHead: the 2D joints for the fit have shapes {shapes}; '
                             f"metainfo['{FIT_EVIDENCE_KEY}'] must be (21, 2), crop pixels")
        return torch.stack(rows)

    def predict(self, feats: Dict, batch_data_samples: Samples,
                test_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
        """Per-sample prediction fields (crop camera frame, root-relative, metres):
        ``joints_3d (B, 21, 3)``, ``verts_3d (B, 778, 3)``, ``mano_rot6d``, ``mano_shape``,
        ``root_cam_pred (B, 3)`` and, with D-BFAM, its 2D joints ``hand_kpts_2d (B, 21, 2)``
        (crop pixels). With ``test_fit``, the hand fields are the fitted hand's
        (:meth:`fit_evidence`). Samples with MANO ground truth also get its mesh for the
        mesh metrics (``gt_instances.verts_3d``, root-relative crop frame, and
        ``orig_verts_cam``, the image's camera frame)."""
        out = self.outputs(feats, batch_data_samples)
        if self.test_fit is not None:
            cam_K = meta_field(batch_data_samples, 'cam_K', feats['hand'].device)
            out = self.test_fit(self.mano, out['rot6d'], out['betas'], out['root_cam'],
                                self.fit_evidence(feats, batch_data_samples), cam_K)
        pred = dict(joints_3d=out['joints'], verts_3d=out['verts'], mano_rot6d=out['rot6d'],
                    mano_shape=out['betas'], root_cam_pred=out['root_cam'])
        if 'hand_kpts' in feats:
            pred['hand_kpts_2d'] = feats['hand_kpts']
        self.add_gt_meshes(batch_data_samples, feats['hand'].device)
        return pred

    @torch.no_grad()
    def add_gt_meshes(self, batch_data_samples: Samples, device: torch.device) -> None:
        """Ground-truth vertices from the samples' MANO parameters, for the mesh metrics:
        ``gt_instances.verts_3d (1, 778, 3)`` root-relative in the crop camera frame and
        ``orig_verts_cam`` in the image's camera frame."""
        have = [s for s in batch_data_samples if s.get('gt_instances') is not None
                and 'mano_pose' in s.gt_instances and float(s.gt_instances.has_mano[0]) > 0]
        if not have:
            return
        pose = torch.cat([s.gt_instances.mano_pose for s in have]).to(device)
        shape = torch.cat([s.gt_instances.mano_shape for s in have]).to(device)
        verts = self.mano(pose[:, :3], pose[:, 3:], shape)['verts'].cpu()
        for s, v in zip(have, verts):
            s.gt_instances.verts_3d = v[None]
            if 'root_cam' in s.gt_instances:
                s.gt_instances.orig_verts_cam = crop_to_camera(
                    v + s.gt_instances.root_cam[0].cpu(),
                    s.metainfo.get('cam_rot', np.eye(3)))[None]
