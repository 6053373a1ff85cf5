"""The hand-object reconstructor: backbone -> D-BFAM -> CFSM -> hand and object decoders."""
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmengine.model import BaseModel
from mmengine.structures import InstanceData

from hoverse.geometry.camera import project_points
from hoverse.models.codecs import encode_gaussian_heatmaps
from hoverse.registry import MODELS
from hoverse.structures import HandObjectDataSample

from .object_templates import TemplateBank

DEFAULT_LOSSES = dict(
    joints=dict(type='PointL1Loss', loss_weight=10.0),
    verts=dict(type='PointL1Loss', loss_weight=10.0),
    mano=dict(type='MANOParamLoss', loss_weight=1.0, shape_weight=0.1),
    root=dict(type='PointL1Loss', loss_weight=1.0),
    hand_heatmap=dict(type='HeatmapLoss', loss_weight=1.0, coord_weight=1.0),
    obj_heatmap=dict(type='HeatmapLoss', loss_weight=1.0, coord_weight=1.0),
    obj_rot=dict(type='GeodesicRotationLoss', loss_weight=1.0),
    obj_trans=dict(type='PointL1Loss', loss_weight=10.0),
    obj_corners=dict(type='PointL1Loss', loss_weight=10.0),
    obj_verts=dict(type='PointL1Loss', loss_weight=10.0),
    edge=dict(type='EdgeLengthLoss', loss_weight=10.0),
    normal=dict(type='NormalConsistencyLoss', loss_weight=0.1),
    sdf=dict(type='SDFPenetrationLoss', loss_weight=10.0, object_weight=1.0),
    contact=dict(type='ContactLoss', loss_weight=1.0, threshold=0.005),
)


def gather_gt(samples: Sequence[HandObjectDataSample], key: str,
              device: torch.device) -> torch.Tensor:
    """Concatenate ``gt_instances.<key>`` of every sample: ``(B, ...)``."""
    try:
        return torch.cat([s.gt_instances.get(key) for s in samples]).to(device)
    except TypeError:
        raise KeyError(f'ground truth {key!r} is missing from a data sample; the pipeline '
                       'must end with GenerateTargets and PackHandObjectInputs') from None


def gather_meta(samples: Sequence[HandObjectDataSample], key: str,
                device: torch.device) -> torch.Tensor:
    return torch.stack([torch.as_tensor(s.metainfo[key], dtype=torch.float32)
                        for s in samples]).to(device)


@MODELS.register_module()
class HandObjectReconstructor(BaseModel):
    """hoverse's model (mmengine ``BaseModel``).

    Args:
        backbone: e.g. ``DualStreamResNet``.
        mano_head / object_head: the hand and object decoders.
        dbfam / cfsm: the two necks; ``None`` removes one (ablations).
        losses: name -> loss config; a ``None`` entry removes that term. Loss dict keys
            are ``loss_<name>``.
        object_models_root: object templates (YCB layout) for object vertices, the physics
            losses and posed template outputs.
        input_size: crop side in pixels.
        test_cfg: ``use_gt_root`` (default True): place predictions in the camera frame at
            the dataset's root joint when the sample has one, else at the predicted root;
            ``metainfo['root_source']`` says which.

    ``forward(inputs (B, 3, H, W), data_samples, mode)`` with ``mode`` ``'loss'`` (dict of
    losses), ``'predict'`` (data samples with ``pred_instances``) or ``'tensor'`` (raw
    head outputs).
    """

    def __init__(self, backbone: dict, mano_head: dict, object_head: dict,
                 dbfam: Optional[dict] = None, cfsm: Optional[dict] = None,
                 losses: Optional[dict] = None, object_models_root: Optional[str] = None,
                 num_object_samples: int = 512, input_size: int = 256,
                 data_preprocessor: Optional[dict] = None, train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None, init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor or dict(
            type='HandObjectDataPreprocessor'), init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.dbfam = MODELS.build(dbfam) if dbfam else None
        self.cfsm = MODELS.build(cfsm) if cfsm else None
        self.mano_head = MODELS.build(mano_head)
        self.object_head = MODELS.build(object_head)
        merged = dict(DEFAULT_LOSSES)
        merged.update(losses or {})
        self.losses = torch.nn.ModuleDict(
            {k: MODELS.build(v) for k, v in merged.items() if v is not None})
        self.templates = TemplateBank(object_models_root, num_object_samples)
        self.input_size = input_size
        self.train_cfg = train_cfg or {}
        self.test_cfg = dict(dict(use_gt_root=True), **(test_cfg or {}))

    # -- network --------------------------------------------------------------------
    def extract_feat(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        feats = self.backbone(inputs)
        if self.dbfam is not None:
            feats = self.dbfam(feats, float(inputs.shape[-1]))
        if self.cfsm is not None:
            feats = self.cfsm(feats, float(inputs.shape[-1]))
        return feats

    def _heads(self, inputs: torch.Tensor, cam_K: torch.Tensor) -> Dict[str, torch.Tensor]:
        feats = self.extract_feat(inputs)
        hand = self.mano_head(feats, cam_K, float(inputs.shape[-1]))
        obj = self.object_head(feats)
        out = {f'hand_{k}': v for k, v in hand.items()}
        out.update({f'obj_{k}': v for k, v in obj.items()})
        for k in ('hand_heatmaps', 'object_heatmaps', 'hand_kpts', 'object_kpts'):
            if k in feats:
                out[k] = feats[k]
        return out

    def forward(self, inputs: torch.Tensor, data_samples: Optional[List] = None,
                mode: str = 'tensor') -> Union[Dict[str, torch.Tensor], List]:
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            cam_K = (gather_meta(data_samples, 'cam_K', inputs.device) if data_samples else
                     self._default_camera(inputs))
            return self._heads(inputs, cam_K)
        raise ValueError(f"mode must be 'loss', 'predict' or 'tensor', got {mode!r}")

    def _default_camera(self, inputs: torch.Tensor) -> torch.Tensor:
        """A crop camera for raw tensors: focal = crop size, principal point at the centre."""
        B, _, H, W = inputs.shape
        K = torch.tensor([[float(W), 0, W / 2], [0, float(W), H / 2], [0, 0, 1]])
        return K.expand(B, 3, 3).to(inputs.device)

    # -- training -------------------------------------------------------------------
    def loss(self, inputs: torch.Tensor, data_samples: List) -> Dict[str, torch.Tensor]:
        dev = inputs.device
        cam_K = gather_meta(data_samples, 'cam_K', dev)
        out = self._heads(inputs, cam_K)
        g = {k: gather_gt(data_samples, k, dev) for k in (
            'joints_3d', 'keypoints_2d', 'joints_valid', 'root_cam', 'obj_rot', 'obj_trans_rel',
            'obj_corners_3d', 'obj_kpts_2d', 'obj_corners_rest', 'mano_pose', 'mano_shape',
            'has_mano')}
        jv, hm = g['joints_valid'].reshape(-1), g['has_mano'].reshape(-1)
        L, losses = self.losses, {}
        mano = self.mano_head.mano

        def add(name, fn):
            if name in L:
                losses[f'loss_{name}'] = fn(L[name])

        add('joints', lambda f: f(out['hand_joints'], g['joints_3d'], jv))
        add('root', lambda f: f(out['hand_root_cam'], g['root_cam']))
        need_gt_mesh = any(k in L for k in ('verts', 'mano', 'edge', 'normal'))
        if need_gt_mesh:
            with torch.no_grad():
                gt_mesh = mano(g['mano_pose'][:, :3], g['mano_pose'][:, 3:], g['mano_shape'])
        add('verts', lambda f: f(out['hand_verts'], gt_mesh['verts'], hm))
        add('mano', lambda f: f(out['hand_rotmats'], out['hand_betas'], gt_mesh['rotmats'],
                                g['mano_shape'], hm))
        add('edge', lambda f: f(out['hand_verts'], gt_mesh['verts'], mano.faces, hm))
        add('normal', lambda f: f(out['hand_verts'], gt_mesh['verts'], mano.faces, hm))
        size = float(inputs.shape[-1])
        for name, key, gt_key, w in (('hand_heatmap', 'hand', 'keypoints_2d', jv),
                                     ('obj_heatmap', 'object', 'obj_kpts_2d', None)):
            if name in L and f'{key}_heatmaps' in out:
                logits = out[f'{key}_heatmaps']
                target = encode_gaussian_heatmaps(g[gt_key], logits.shape[-2:],
                                                  size / logits.shape[-1])
                losses[f'loss_{name}'] = L[name](logits, target, out[f'{key}_kpts'], g[gt_key],
                                                 size, w)
        R, t = out['obj_rot'], out['obj_trans_rel']
        add('obj_rot', lambda f: f(R, g['obj_rot']))
        add('obj_trans', lambda f: f(t, g['obj_trans_rel']))
        corners = g['obj_corners_rest'] @ R.transpose(1, 2) + t[:, None]
        add('obj_corners', lambda f: f(corners, g['obj_corners_3d']))
        if self.templates.enabled:
            names = [s.metainfo['obj_name'] for s in data_samples]
            mirrored = [bool(s.metainfo.get('obj_mirrored', False)) for s in data_samples]
            samples, _, grids = self.templates.batch(names, dev)
            if mirrored and any(mirrored):
                flip = torch.tensor([-1.0, 1, 1], device=dev)
                samples = torch.where(torch.tensor(mirrored, device=dev)[:, None, None],
                                      samples * flip, samples)
            gt_root_rel_t = g['obj_trans_rel']
            gt_pts = samples @ g['obj_rot'].transpose(1, 2) + gt_root_rel_t[:, None]
            add('obj_verts', lambda f: f(samples @ R.transpose(1, 2) + t[:, None], gt_pts))
            add('sdf', lambda f: f(out['hand_verts'], R, t, grids, samples,
                                   mano.closed_faces, mirrored))
            add('contact', lambda f: f(out['hand_verts'], R, t, grids, mirrored))
        return losses

    # -- inference ------------------------------------------------------------------
    @torch.no_grad()
    def _add_gt_meshes(self, data_samples: List, dev: torch.device) -> None:
        """Ground-truth root-relative vertices ``gt_instances.verts_3d (1, 778, 3)`` (crop
        camera frame) from the GT MANO parameters, for the mesh metrics."""
        have = [s for s in data_samples if s.get('gt_instances') is not None
                and 'mano_pose' in s.gt_instances and float(s.gt_instances.has_mano[0]) > 0]
        if not have:
            return
        pose = torch.cat([s.gt_instances.mano_pose for s in have]).to(dev)
        shape = torch.cat([s.gt_instances.mano_shape for s in have]).to(dev)
        verts = self.mano_head.mano(pose[:, :3], pose[:, 3:], shape)['verts']
        for s, v in zip(have, verts):
            s.gt_instances.verts_3d = v[None].cpu()

    def predict(self, inputs: torch.Tensor, data_samples: Optional[List]) -> List:
        dev = inputs.device
        if data_samples is None:
            data_samples = [HandObjectDataSample(metainfo=dict(cam_K=K.cpu().numpy()))
                            for K in self._default_camera(inputs)]
        cam_K = gather_meta(data_samples, 'cam_K', dev)
        out = self._heads(inputs, cam_K)
        self._add_gt_meshes(data_samples, dev)
        for b, s in enumerate(data_samples):
            root, source = out['hand_root_cam'][b], 'pred'
            gt = s.get('gt_instances')
            if self.test_cfg['use_gt_root'] and gt is not None and 'root_cam' in gt:
                root, source = gt.root_cam[0].to(dev), 'gt'
            Rz = torch.as_tensor(s.metainfo.get('cam_rot', torch.eye(3)), dtype=root.dtype,
                                 device=dev)
            joints_rel, verts_rel = out['hand_joints'][b], out['hand_verts'][b]
            R, t_rel = out['obj_rot'][b], out['obj_trans_rel'][b]
            K = cam_K[b]
            pred = InstanceData()
            pred.joints_3d = joints_rel[None]
            pred.verts_3d = verts_rel[None]
            pred.obj_rot = R[None]
            pred.obj_trans_rel = t_rel[None]
            pred.mano_rot6d = out['hand_rot6d'][b][None]
            pred.mano_shape = out['hand_betas'][b][None]
            pred.root_cam_pred = out['hand_root_cam'][b][None]
            # crop camera frame -> the original camera frame (X_orig = Rz^T X_crop)
            joints_crop = joints_rel + root
            pred.keypoints_2d = project_points(joints_crop, K)[None]
            pred.joints_cam = (joints_crop @ Rz)[None]
            pred.verts_cam = ((verts_rel + root) @ Rz)[None]
            pred.obj_rot_cam = (Rz.T @ R)[None]
            pred.obj_trans_cam = (Rz.T @ (t_rel + root))[None]
            if 'object_kpts' in out:
                pred.obj_kpts_2d = out['object_kpts'][b][None]
            name = s.metainfo.get('obj_name')
            corners = None
            if gt is not None and 'obj_corners_rest' in gt:
                corners = gt.obj_corners_rest[0].to(dev)
            elif self.templates.enabled and name is not None and name in self.templates.library:
                corners = self.templates.get(name, dev)['corners']
            if corners is not None:
                c = corners @ R.T + t_rel
                pred.obj_corners_3d = c[None]
                pred.obj_corners_2d = project_points(c + root, K)[None]
            s.pred_instances = pred
            s.set_metainfo(dict(root_source=source))
        return data_samples
