"""Object decoder: rotation (6D) and translation relative to the hand root, and the object
losses, symmetry-aware."""
from typing import Dict, Optional, Union

import torch
import torch.nn as nn
import torch.nn.functional as F

from hoverse.geometry.boxes import longest_box_axis
from hoverse.geometry.camera import project_points
from hoverse.geometry.rotations import HALF_TURNS, IDENTITY_6D, geodesic_distance, rot6d_to_matrix
from hoverse.geometry.symmetric_pose import SymmetryBatch
from hoverse.registry import KEYPOINT_CODECS, MODELS, TASK_UTILS

from .base_head import BaseHead, Samples, crop_size, gt_field, meta_field
from .coordinate_branch import CoordinateMapBranch
from .iterative_regressor import IterativeRegressor
from .regressor_inputs import centred_grid_features, kpt_layout, normalised_kpts
from .rotation_readouts import ReadoutContext, build_readout

#: ground truth the object losses read (``gt_instances.<key>``)
OBJECT_TARGETS = ('obj_rot', 'obj_trans_rel', 'obj_corners_rest', 'root_cam')


@MODELS.register_module()
class ObjectPoseHead(BaseHead):
    """Regresses the object's pose from the object branch (and the pooled hand branch, since
    the translation is relative to the hand root), and owns the object losses.

    ``forward(feats, batch_data_samples)`` returns ``rot6d (B, 6)``, ``rot (B, 3, 3)``
    (model -> crop camera frame) and ``trans_rel (B, 3)`` metres, the object origin relative
    to the hand root (``feats['obj_out']``). With ``rot_relative_to_hand`` the regressed
    rotation is the object's in the hand's frame, and ``rot = hand_rot @ rot_in_hand`` with
    ``hand_rot (B, 3, 3)`` the hand head's global orientation (``feats['hand_out']``; not
    back-propagated into the hand): the translation is
    already hand-relative, and how a hand holds an object varies far less than how the
    camera sees it.
    D-BFAM's object keypoints (``object_kpts``, ``num_kpts`` = 8 corners + centre) are the
    2D output; with ``use_kpt_coords`` they and the hand's 2D joints (``num_hand_kpts``),
    normalised to [-1, 1] over the crop, are also regressor inputs; with ``use_kpt_layout``
    so are both layouts (the object's keypoints relative to its centre, the last of them,
    and the hand's relative to the wrist, each scaled to unit extent: :func:`kpt_layout`).
    With ``roi_grid`` > 0 the object branch is also read on a ``roi_grid x roi_grid``
    lattice ``roi_extent`` of the crop wide, centred on D-BFAM's object centre
    (:func:`centred_grid_features`): the object's appearance in a fixed spatial layout,
    wherever it lies in the crop, where the global average keeps no layout at all.
    With ``flip_hypotheses`` the regressed rotation is taken up to the half turns about the
    template's axes (``HALF_TURNS``: a bottle's cap one way or the other), and a classifier
    picks one of the four (``rot = rot_base @ HALF_TURNS[argmax]``): where the image leaves
    a flip in doubt, a single regressed rotation would average the two ways round. Training scores
    the hypothesis nearest the ground truth (``loss_flip``, cross-entropy on its index; the
    other losses see that hypothesis).

    With ``coord_map`` (an ``ObjectCoordinateMap`` codec config) a dense branch on the
    object map (:class:`CoordinateMapBranch`, ``coord_hidden`` channels, ``coord_upsample``
    times the map's resolution, which must give the codec's ``heatmap_size``) predicts for
    each cell the model point of the object seen there and whether the object is seen
    (``loss_coords``, L1 on normalised coordinates where the assigned pose's template is
    visible, and ``loss_coord_mask``). With ``patch_pnp`` (a :class:`PatchPnP` config;
    needs ``coord_map``) a learnt PnP regresses a second rotation, in the camera frame,
    from the predicted map and mask around D-BFAM's object centre (``patch_rot``; with
    ``PatchPnP(residual=True)`` a correction of the regressed rotation; its own
    symmetry-aware ``loss_patch_rot``, which trains the map too unless
    ``PatchPnP(detach_maps=True)``).

    ``rot_readout`` chooses the rotation ``predict`` reports: a readout's name or a
    ``TASK_UTILS`` config (:mod:`~hoverse.models.heads.rotation_readouts`: ``'regressed'``,
    ``'pnp'``, ``'pnp_flip'``, ``'patch'``, ``'patch_flip'``, ``'patch_spin'``,
    ``'patch_blend'``). The readouts that need the object's box read it from each sample's
    ground truth or from its template (``metainfo['obj_name']``, given or classified: the
    classifier runs first); a sample whose object is unknown keeps the regressed rotation.
    The spin axes are the templates' continuous symmetry axes, else their longest box side
    (:meth:`~hoverse.objects.TemplateBank.spin_axis`).

    ``symmetry`` (a ``TASK_UTILS`` config, default ``NearestSymmetricPose``; ``None`` takes
    every object as asymmetric) replaces the ground-truth pose by its symmetric equivalent
    nearest the prediction before any loss, so that R and R*S (S a symmetry of the object)
    give the same losses. Losses (``None`` drops one): ``loss_rot`` (geodesic, radians; no
    term for fully symmetric objects), ``loss_trans``, ``loss_corners`` (the template's box
    corners posed), ``loss_verts`` (its surface samples posed; needs templates) and
    ``loss_heatmap`` (D-BFAM's object heatmaps, targets from the assigned pose), logged as
    ``loss_obj_<name>``.
    """

    out_key = 'obj'

    def __init__(self, in_channels: int = 256, kpt_channels: int = 128, hidden: int = 512,
                 num_iters: int = 3, use_kpt_feats: bool = True, trans_scale: float = 0.1,
                 num_kpts: int = 9, rot_relative_to_hand: bool = False,
                 use_kpt_coords: bool = False, use_kpt_layout: bool = False,
                 num_hand_kpts: int = 21, roi_grid: int = 0, roi_extent: float = 0.5,
                 flip_hypotheses: bool = False, coord_map: Optional[dict] = None,
                 coord_hidden: int = 64, coord_upsample: int = 2,
                 patch_pnp: Optional[dict] = None,
                 rot_readout: Union[str, dict] = 'regressed', mask_object_label: int = 2,
                 symmetry: Optional[dict] = dict(type='NearestSymmetricPose'),
                 loss_rot: Optional[dict] = dict(type='GeodesicRotationLoss', loss_weight=1.0),
                 loss_trans: Optional[dict] = dict(type='PointL1Loss', loss_weight=10.0),
                 loss_corners: Optional[dict] = dict(type='PointL1Loss', loss_weight=10.0),
                 loss_verts: Optional[dict] = dict(type='PointL1Loss', loss_weight=10.0),
                 loss_heatmap: Optional[dict] = dict(type='HeatmapLoss', loss_weight=1.0,
                                                     coord_weight=1.0),
                 loss_flip: Optional[dict] = dict(type='LabelCELoss', loss_weight=0.5),
                 loss_coords: Optional[dict] = dict(type='MaskedMapL1Loss', loss_weight=1.0),
                 loss_coord_mask: Optional[dict] = dict(type='MapBCELoss', loss_weight=0.5),
                 loss_patch_rot: Optional[dict] = dict(type='GeodesicRotationLoss',
                                                       loss_weight=1.0),
                 codec: dict = dict(type='SoftArgmaxHeatmap', input_size=256,
                                    heatmap_size=32)) -> None:
        super().__init__()
        self.codec = KEYPOINT_CODECS.build(codec)
        self.use_kpt_feats = use_kpt_feats
        self.trans_scale = trans_scale
        self.num_kpts = num_kpts
        self.rot_relative_to_hand = rot_relative_to_hand
        self.kpt_proj = nn.Linear(num_kpts * kpt_channels, hidden) if use_kpt_feats else None
        self.use_kpt_coords = use_kpt_coords
        self.use_kpt_layout = use_kpt_layout
        if roi_grid < 0 or not 0.0 < roi_extent <= 2.0:
            raise ValueError(f'ObjectPoseHead: roi_grid must be >= 0 (0: off) and roi_extent '
                             f'in (0, 2] (a fraction of the crop); got {roi_grid}, '
                             f'{roi_extent}')
        self.roi_grid, self.roi_extent = roi_grid, roi_extent
        self.roi_proj = (nn.Sequential(nn.Linear(in_channels * roi_grid ** 2, hidden),
                                       nn.ReLU(inplace=True)) if roi_grid else None)
        feat_dim = (2 * in_channels + (hidden if use_kpt_feats else 0)
                    + (hidden if roi_grid else 0)
                    + 2 * (num_kpts + num_hand_kpts)
                    * (int(use_kpt_coords) + int(use_kpt_layout)))
        self.regressor = IterativeRegressor(feat_dim, torch.cat([IDENTITY_6D, torch.zeros(3)]),
                                            hidden, num_iters)
        # zero-initialised: every hypothesis equally likely, the first (no flip) chosen
        self.flip_cls = nn.Linear(feat_dim, len(HALF_TURNS)) if flip_hypotheses else None
        if self.flip_cls is not None:
            nn.init.zeros_(self.flip_cls.weight)
            nn.init.zeros_(self.flip_cls.bias)
        self.register_buffer('flips', HALF_TURNS.clone(), persistent=False)
        self.assigner = TASK_UTILS.build(symmetry) if symmetry else None
        if patch_pnp and not coord_map:
            raise ValueError('ObjectPoseHead(patch_pnp=...) reads the coordinate map: set '
                             'coord_map (an ObjectCoordinateMap)')
        self.readout = build_readout(rot_readout)
        needs = self.readout.needs
        if needs and not {'coord_map': coord_map, 'patch_pnp': patch_pnp}[needs]:
            raise ValueError(f'ObjectPoseHead(rot_readout={self.readout.name!r}) reads '
                             + ('the coordinate map: set coord_map (an ObjectCoordinateMap)'
                                if needs == 'coord_map' else
                                "the learnt PnP's rotation: set patch_pnp (a PatchPnP "
                                'config)'))
        self.mask_object_label = mask_object_label
        self.coord_codec = KEYPOINT_CODECS.build(coord_map) if coord_map else None
        self.coord_branch = (CoordinateMapBranch(in_channels, coord_hidden, coord_upsample)
                             if coord_map else None)
        self.patch_pnp = MODELS.build(patch_pnp) if patch_pnp else None
        self.build_losses(dict(obj_rot=loss_rot, obj_trans=loss_trans,
                               obj_corners=loss_corners, obj_verts=loss_verts,
                               obj_heatmap=loss_heatmap,
                               obj_flip=loss_flip if flip_hypotheses else None,
                               obj_coords=loss_coords if coord_map else None,
                               obj_coord_mask=loss_coord_mask if coord_map else None,
                               obj_patch_rot=loss_patch_rot if patch_pnp else None))

    def forward(self, feats: Dict, batch_data_samples: Samples) -> Dict[str, torch.Tensor]:
        input_size = crop_size(feats)
        x = [F.adaptive_avg_pool2d(feats['object'], 1).flatten(1),
             F.adaptive_avg_pool2d(feats['hand'], 1).flatten(1)]
        if self.use_kpt_feats:
            if 'object_kpt_feats' not in feats:
                raise KeyError('ObjectPoseHead(use_kpt_feats=True) needs D-BFAM\'s '
                               'object_kpt_feats; set use_kpt_feats=False without DBFAM')
            x.append(torch.relu(self.kpt_proj(feats['object_kpt_feats'].flatten(1))))
        if self.roi_proj is not None:
            if 'object_kpts' not in feats:
                raise KeyError("ObjectPoseHead(roi_grid>0) needs D-BFAM's object_kpts (its "
                               'last one is the centre); set roi_grid=0 without DBFAM')
            x.append(self.roi_proj(centred_grid_features(
                feats['object'], feats['object_kpts'][:, -1], input_size, self.roi_grid,
                self.roi_extent)))
        if self.use_kpt_coords:
            x += [normalised_kpts(feats, k, input_size, 'ObjectPoseHead')
                  for k in ('object_kpts', 'hand_kpts')]
        if self.use_kpt_layout:
            x += [kpt_layout(feats, 'object_kpts', self.num_kpts - 1, 'ObjectPoseHead'),
                  kpt_layout(feats, 'hand_kpts', 0, 'ObjectPoseHead')]
        feat = torch.cat(x, 1)
        params = self.regressor(feat)
        rot6d = params[:, :6]
        rot = rot6d_to_matrix(rot6d)
        if self.rot_relative_to_hand:
            hand = self.head_outputs(feats, 'hand', 'ObjectPoseHead(rot_relative_to_hand=True)')
            rot = hand['rotmats'][:, 0].detach() @ rot
        out = dict(rot6d=rot6d, rot=rot, trans_rel=params[:, 6:9] * self.trans_scale)
        if self.flip_cls is not None:
            logits = self.flip_cls(feat)
            out.update(rot_base=rot, flip_logits=logits,
                       rot=rot @ self.flips.to(rot.dtype)[logits.argmax(1)])
        if self.coord_branch is not None:
            dense = self.coord_branch(feats['object'])
            size = self.coord_codec.size
            if dense['coords'].shape[-2:] != (size, size):
                raise ValueError(f'ObjectPoseHead: the coordinate branch gives '
                                 f'{tuple(dense["coords"].shape[-2:])} maps but coord_map\'s '
                                 f'heatmap_size is {size}: set coord_upsample to heatmap_size '
                                 f'/ the object map\'s size')
            out.update(coords=dense['coords'], coord_mask_logits=dense['mask_logits'])
            if self.patch_pnp is not None:
                if 'object_kpts' not in feats:
                    raise KeyError("ObjectPoseHead(patch_pnp=...) centres its window on "
                                   "D-BFAM's object centre (the last object_kpts); set "
                                   'patch_pnp=None without DBFAM')
                prev = out['rot'].detach()
                patch = rot6d_to_matrix(self.patch_pnp(
                    dense['coords'], dense['mask_logits'], feats['object_kpts'][:, -1],
                    input_size, prev if self.patch_pnp.residual else None))
                out['patch_rot'] = prev @ patch if self.patch_pnp.residual else patch
        return out

    def targets(self, feats: Dict, batch_data_samples: Samples) -> Dict:
        """The object losses' ground truth (:data:`OBJECT_TARGETS`, crop frame), the crop
        cameras ``cam_K``, the batch's templates (or None) and, where every sample has
        one, its segmentation ``mask (B, H, W)``; gathered once per batch."""
        if '_obj_targets' not in feats:
            dev = feats['object'].device
            t = {k: gt_field(batch_data_samples, k, dev) for k in OBJECT_TARGETS}
            t['cam_K'] = meta_field(batch_data_samples, 'cam_K', dev)
            t['templates'] = self.batch_templates(feats, batch_data_samples)
            gts = [s.get('gt_instances') for s in batch_data_samples]
            t['mask'] = (torch.cat([g.mask for g in gts]).to(dev).long()
                         if all(g is not None and 'mask' in g for g in gts) else None)
            feats['_obj_targets'] = t
        return feats['_obj_targets']

    def assign(self, R_pred: torch.Tensor, targets: Dict):
        """``(R*, t*, rot_weight (B,), kpt_weight (B, K))``: the ground-truth pose (crop
        frame, root-relative) or, with an assigner and templates, its symmetric equivalent
        nearest ``R_pred``."""
        R_gt, t_gt = targets['obj_rot'], targets['obj_trans_rel']
        B = R_gt.shape[0]
        if self.assigner is None:
            return R_gt, t_gt, R_gt.new_ones(B), R_gt.new_ones(B, self.num_kpts)
        templates = targets.get('templates')
        sym = (templates['symmetry'] if templates is not None else
               SymmetryBatch.none(B, R_gt.device, R_gt.dtype))
        return self.assigner(R_pred, R_gt, t_gt, sym, self.num_kpts)

    def nearest_flip(self, rot_base: torch.Tensor, targets: Dict):
        """``(R, assignment, label)``: of the hypotheses ``rot_base (B, 3, 3) @ HALF_TURNS``,
        the one nearest its own assigned ground truth (``R``, what the losses score), that
        assignment (:meth:`assign`) and its index ``label (B,)``, the flip classifier's
        target. Ties (a flip that is one of the object's symmetries) go to the lower index."""
        cands = rot_base[:, None] @ self.flips.to(rot_base.dtype)  # (B, 4, 3, 3)
        assigned = [self.assign(cands[:, h], targets) for h in range(cands.shape[1])]
        with torch.no_grad():
            dist = torch.stack([geodesic_distance(cands[:, h].float(), a[0].float())
                                for h, a in enumerate(assigned)], 1)
            dist = dist + 1e-4 * torch.arange(dist.shape[1], device=dist.device)
            label = dist.argmin(1)
        idx = torch.arange(rot_base.shape[0], device=rot_base.device)
        pick = [torch.stack([a[k] for a in assigned], 1)[idx, label] for k in range(4)]
        return cands[idx, label], tuple(pick), label

    def loss(self, feats: Dict, batch_data_samples: Samples,
             train_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
        out = self.outputs(feats, batch_data_samples)
        targets = self.targets(feats, batch_data_samples)
        L, losses = self.losses, {}
        t = out['trans_rel']
        if 'flip_logits' in out:
            R, (R_gt, t_gt, rot_w, kpt_w), label = self.nearest_flip(out['rot_base'], targets)
            if 'obj_flip' in L:
                losses['loss_obj_flip'] = L['obj_flip'](out['flip_logits'], label)
        else:
            R = out['rot']
            R_gt, t_gt, rot_w, kpt_w = self.assign(R, targets)
        if 'obj_rot' in L:
            losses['loss_obj_rot'] = L['obj_rot'](R, R_gt, rot_w)
        if 'obj_trans' in L:
            losses['loss_obj_trans'] = L['obj_trans'](t, t_gt)
        rest = targets['obj_corners_rest']  # (B, 8, 3), mirrored with the sample
        if 'obj_corners' in L:
            losses['loss_obj_corners'] = L['obj_corners'](
                rest @ R.transpose(1, 2) + t[:, None], rest @ R_gt.transpose(1, 2) + t_gt[:, None])
        templates = targets.get('templates')
        if 'obj_verts' in L and templates is not None:
            pts = templates['samples']
            losses['loss_obj_verts'] = L['obj_verts'](
                pts @ R.transpose(1, 2) + t[:, None], pts @ R_gt.transpose(1, 2) + t_gt[:, None])
        if 'obj_heatmap' in L and 'object_heatmaps' in feats:
            logits = feats['object_heatmaps']
            self.codec.check(logits.shape[-2:], 'object heatmaps')
            corners = rest @ R_gt.transpose(1, 2) + t_gt[:, None]
            kpts3d = torch.cat([corners, corners.mean(1, keepdim=True)], 1)
            kpts = project_points(kpts3d + targets['root_cam'][:, None], targets['cam_K'])
            losses['loss_obj_heatmap'] = L['obj_heatmap'](
                logits, self.codec.encode(kpts), feats['object_kpts'], kpts, crop_size(feats),
                None, kpt_w)
        if 'patch_rot' in out and 'obj_patch_rot' in L:
            R_patch_gt, _, patch_w, _ = self.assign(out['patch_rot'], targets)
            losses['loss_obj_patch_rot'] = L['obj_patch_rot'](out['patch_rot'], R_patch_gt,
                                                              patch_w)
        if 'coords' in out and ('obj_coords' in L or 'obj_coord_mask' in L):
            losses.update(self.coord_losses(out, R_gt, t_gt, targets))
        return losses

    def coord_losses(self, out: Dict[str, torch.Tensor], R_gt: torch.Tensor,
                     t_gt: torch.Tensor, targets: Dict) -> Dict[str, torch.Tensor]:
        """``loss_obj_coords`` and ``loss_obj_coord_mask`` of the coordinate branch, the
        targets drawn from the assigned pose ``R_gt (B, 3, 3)``, ``t_gt (B, 3)`` (so a
        symmetric object's map follows the equivalent nearest the prediction)."""
        templates = targets.get('templates')
        if templates is None or 'dense_samples' not in templates:
            raise KeyError('ObjectPoseHead(coord_map=...) needs the object templates\' dense '
                           'surface samples: set the model\'s object_models_root (a '
                           'TemplateBank built with num_dense_samples)')
        coords, weight, visible = self.coord_codec.encode(
            templates['dense_samples'], targets['obj_corners_rest'], R_gt,
            t_gt + targets['root_cam'], targets['cam_K'], targets.get('mask'),
            self.mask_object_label)
        losses = {}
        if 'obj_coords' in self.losses:
            losses['loss_obj_coords'] = self.losses['obj_coords'](out['coords'], coords, weight)
        if 'obj_coord_mask' in self.losses:
            losses['loss_obj_coord_mask'] = self.losses['obj_coord_mask'](
                out['coord_mask_logits'], visible)
        return losses

    def object_boxes(self, batch_data_samples: Samples, device: torch.device):
        """``(corners (B, 8, 3), known (B,) bool)``: each sample's model-frame box, from its
        ground truth or else its named template (mirrored with the sample); zeros where
        neither is known."""
        corners = torch.zeros(len(batch_data_samples), 8, 3, device=device)
        known = torch.zeros(len(batch_data_samples), dtype=torch.bool, device=device)
        lib = self.templates.library if self.templates is not None else None
        for b, s in enumerate(batch_data_samples):
            gt, name = s.get('gt_instances'), s.metainfo.get('obj_name')
            if gt is not None and 'obj_corners_rest' in gt:
                corners[b], known[b] = gt.obj_corners_rest[0].to(device), True
            elif lib is not None and name is not None and name in lib:
                corners[b] = self.templates.batch(
                    [name], device, [bool(s.metainfo.get('obj_mirrored', False))])['corners'][0]
                known[b] = True
        return corners, known

    def spin_axes(self, batch_data_samples: Samples, corners: torch.Tensor) -> torch.Tensor:
        """``(B, 3)`` model-frame axes about which a readout may take the object's spin: the
        template's continuous symmetry axis where it has one (a spin about it changes
        nothing), else the longest side of the box ``corners (B, 8, 3)``."""
        axes = longest_box_axis(corners)
        for b, s in enumerate(batch_data_samples):
            axis = self.templates.spin_axis(s.metainfo.get('obj_name'), bool(
                s.metainfo.get('obj_mirrored', False))) if self.templates is not None else None
            if axis is not None:
                axes[b] = torch.as_tensor(axis, dtype=axes.dtype, device=axes.device)
        return axes

    def predict(self, feats: Dict, batch_data_samples: Samples,
                test_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
        """Per-sample prediction fields (crop camera frame): ``obj_rot (B, 3, 3)`` (the
        readout's), ``obj_trans_rel (B, 3)``, the box ``obj_box_rest (B, 8, 3)`` (model
        frame) and ``obj_box_known (B,)`` and, with D-BFAM, ``obj_kpts_2d (B, 9, 2)``; the
        PnP readouts add ``obj_rot_solved (B,)``."""
        out = self.outputs(feats, batch_data_samples)
        corners, known = self.object_boxes(batch_data_samples, out['rot'].device)
        pred = dict(obj_trans_rel=out['trans_rel'], obj_box_rest=corners, obj_box_known=known)
        ctx = ReadoutContext(
            cam_K=meta_field(batch_data_samples, 'cam_K', out['rot'].device), corners=corners,
            known=known, coord_codec=self.coord_codec,
            spin_axes=self.spin_axes(batch_data_samples, corners)
            if self.readout.uses_spin_axes else None)
        pred['obj_rot'], extra = self.readout(out, ctx)
        pred.update(extra)
        if 'object_kpts' in feats:
            pred['obj_kpts_2d'] = feats['object_kpts']
        return pred
