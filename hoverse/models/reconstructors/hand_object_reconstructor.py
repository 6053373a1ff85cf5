"""The hand-object reconstructor: backbone -> D-BFAM -> CFSM -> hand and object decoders."""
from typing import Dict, List, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.model import BaseModel

from hoverse.geometry.camera import MIRROR_X_MATRIX
from hoverse.hand_models.joint_orders import NUM_JOINTS
from hoverse.registry import KEYPOINT_CODECS, MODELS
from hoverse.structures import HandObjectDataSample
from hoverse.utils.dataset_info import parse_dataset_info

from ..heads.object_pose_head import longest_side
from .camera_results import add_gt_meshes, camera_frame_fields, sample_fields
from .object_templates import TemplateBank

#: ground-truth fields the heads' losses read (``gt_instances.<key>``)
TARGET_KEYS = ('joints_3d', 'keypoints_2d', 'joints_valid', 'root_cam', 'obj_rot',
               'obj_trans_rel', 'obj_corners_rest', 'mano_pose', 'mano_shape', 'has_mano')


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


def keypoint_layout(meta: dict, dbfam: Optional[dict], mano_head: dict, object_head: dict):
    """The component configs with the description's keypoint counts and graphs filled in
    where they do not set their own: D-BFAM's ``num_joints``, ``num_object_kpts``,
    ``hand_skeleton``, ``object_skeleton``; the heads' ``num_joints`` / ``num_kpts`` and
    ``num_hand_kpts``."""
    nj, no = meta['num_joints'], meta['num_object_kpts']
    if nj != NUM_JOINTS:
        raise ValueError(f"dataset_info {meta.get('dataset_name')!r} describes {nj} hand "
                         f'joints; the MANO hand model gives {NUM_JOINTS}')
    if dbfam:
        dbfam = dict(dict(num_joints=nj, num_object_kpts=no, hand_skeleton=meta['skeleton'],
                          object_skeleton=meta['object_skeleton']), **dbfam)
    mano_head = dict(dict(num_joints=nj), **mano_head)
    object_head = dict(dict(num_kpts=no, num_hand_kpts=nj), **object_head)
    return dbfam, mano_head, object_head


@MODELS.register_module()
class HandObjectReconstructor(BaseModel):
    """hoverse's model (mmengine ``BaseModel``): it runs the network and delegates every
    loss and prediction field to its heads.

    Args:
        backbone: e.g. ``DualStreamResNet``.
        mano_head / object_head: the hand and object decoders; each owns its losses.
        interaction_head: the hand-object physics losses (``InteractionHead``); ``None``
            drops them.
        seg_head: an auxiliary background / hand / object segmentation head
            (``SegmentationHead``) on both branches; ``None`` (default) has none. It needs
            masks in the train pipeline (``LoadImage(with_mask=True)``).
        cls_head: which object is held (``ObjectClassificationHead``), over the template
            library's objects (its ``class_names`` default to the library's names); at
            inference a sample without ``obj_name`` takes the top-scoring object (its
            ``metainfo['obj_name_source']`` says ``'classified'``).
        dbfam / cfsm: the two necks; ``None`` removes one (ablations).
        object_models_root: object templates (YCB layout, with ``models_info.json``) for
            the object vertex loss, the symmetries, the physics losses and posed template
            outputs.
        input_size: crop side in pixels.
        codec: the keypoint heatmap codec (``KEYPOINT_CODECS``), declared once here and
            handed to D-BFAM (decoding) and both heads (target encoding); its input size
            must be ``input_size``.
        dataset_info: a dataset description file (as the datasets' ``metainfo.from_file``,
            e.g. ``hoverse/datasets/metainfo/hand_object.py``): the keypoint counts and
            topology graphs of D-BFAM and the heads are read from it (their own
            arguments win); ``None`` keeps their canonical defaults.
        channels_last: keep the backbone's weights and the input in NHWC memory layout
            (faster convolutions on GPUs with tensor cores; same results).
        compile: ``torch.compile`` the network (backbone, necks and both decoders' forward,
            MANO layer included; in place, so checkpoints keep their keys): ``True`` or a
            dict of ``torch.compile`` arguments (e.g. ``dict(mode='max-autotune')``). Data
            preprocessing, target collection and the losses stay eager: mmengine's own
            ``compile`` option wraps the whole ``train_step``, which data samples holding
            numpy metadata cannot pass through.
        test_cfg: ``use_gt_root`` (default True): place predictions in the camera frame at
            the dataset's root joint when the sample has one, else at the predicted root;
            ``metainfo['root_source']`` says which.

    ``forward(inputs (B, 3, H, W), data_samples, mode)`` with ``mode`` ``'loss'`` (the sum
    of the heads' loss dicts), ``'predict'`` (data samples with ``pred_instances``) or
    ``'tensor'`` (raw head outputs).
    """

    def __init__(self, backbone: dict, mano_head: dict, object_head: dict,
                 interaction_head: Optional[dict] = dict(type='InteractionHead'),
                 seg_head: Optional[dict] = None, cls_head: Optional[dict] = None,
                 dbfam: Optional[dict] = None, cfsm: Optional[dict] = None,
                 object_models_root: Optional[str] = None,
                 num_object_samples: int = 512, input_size: int = 256,
                 codec: dict = dict(type='SoftArgmaxHeatmap', input_size=256, heatmap_size=32),
                 dataset_info: Optional[str] = None, channels_last: bool = False,
                 compile: Union[bool, dict] = False, data_preprocessor: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None, init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor or dict(
            type='HandObjectDataPreprocessor'), init_cfg=init_cfg)
        if KEYPOINT_CODECS.build(codec).input_size != (input_size, input_size):
            raise ValueError(f'model.codec.input_size {codec.get("input_size")} differs from '
                             f'model.input_size {input_size}: set both to the crop size')
        self.dataset_meta = parse_dataset_info(dict(from_file=dataset_info)) if dataset_info \
            else None
        if self.dataset_meta is not None:
            dbfam, mano_head, object_head = keypoint_layout(self.dataset_meta, dbfam, mano_head,
                                                            object_head)
        self.backbone = MODELS.build(backbone)
        self.dbfam = MODELS.build(dict(dbfam, codec=codec)) if dbfam else None
        self.cfsm = MODELS.build(cfsm) if cfsm else None
        self.mano_head = MODELS.build(dict(mano_head, codec=codec))
        self.object_head = MODELS.build(dict(object_head, codec=codec))
        self.interaction_head = MODELS.build(interaction_head) if interaction_head else None
        self.seg_head = MODELS.build(seg_head) if seg_head else None
        coord_codec = getattr(self.object_head, 'coord_codec', None)
        if coord_codec is not None and coord_codec.input_size != float(input_size):
            raise ValueError(f'model.object_head.coord_map.input_size '
                             f'{coord_codec.input_size:g} differs from model.input_size '
                             f'{input_size}: set both to the crop size')
        self.templates = TemplateBank(object_models_root, num_object_samples,
                                      coord_codec.num_samples if coord_codec else 0)
        self.cls_head = None
        if cls_head:
            if not cls_head.get('class_names') and self.templates.enabled:
                cls_head = dict(cls_head, class_names=sorted(self.templates.library.names))
            self.cls_head = MODELS.build(cls_head)
        self.input_size = input_size
        self.channels_last = channels_last
        if channels_last:
            self.backbone.to(memory_format=torch.channels_last)
        self.train_cfg = train_cfg or {}
        self.test_cfg = dict(dict(use_gt_root=True), **(test_cfg or {}))
        if compile:
            kwargs = dict(compile) if isinstance(compile, dict) else {}
            for module in (self.backbone, self.dbfam, self.cfsm, self.mano_head,
                           self.object_head):
                if module is not None:
                    module.compile(**kwargs)

    # -- network --------------------------------------------------------------------
    def extract_feat(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        if self.channels_last:
            inputs = inputs.contiguous(memory_format=torch.channels_last)
        feats = self.backbone(inputs)
        if self.dbfam is not None:
            feats = self.dbfam(feats, float(inputs.shape[-1]))
        if self.cfsm is not None:
            feats = self.cfsm(feats, float(inputs.shape[-1]))
        return feats

    def _heads(self, inputs: torch.Tensor, cam_K: torch.Tensor):
        """``(feats, hand_out, obj_out)``: neck features and both decoders' outputs."""
        feats = self.extract_feat(inputs)
        size = float(inputs.shape[-1])
        hand = self.mano_head(feats, cam_K, size)
        return feats, hand, self.object_head(feats, hand['rotmats'][:, 0], size)

    def _tensor_outputs(self, inputs: torch.Tensor, cam_K: torch.Tensor
                        ) -> Dict[str, torch.Tensor]:
        feats, hand, obj = self._heads(inputs, cam_K)
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
            return self._tensor_outputs(inputs, cam_K)
        raise ValueError(f"mode must be 'loss', 'predict' or 'tensor', got {mode!r}")

    def _default_camera(self, inputs: torch.Tensor) -> torch.Tensor:
        """A crop camera for raw tensors: focal = crop size, principal point at the centre."""
        B, _, H, W = inputs.shape
        K = torch.tensor([[float(W), 0, W / 2], [0, float(W), H / 2], [0, 0, 1]])
        return K.expand(B, 3, 3).to(inputs.device)

    # -- training -------------------------------------------------------------------
    def collect_targets(self, inputs: torch.Tensor, data_samples: List) -> Dict:
        """What the heads' losses read: ``gt_instances`` fields batched (``TARGET_KEYS``),
        ``cam_K (B, 3, 3)``, ``input_size`` and ``templates`` (the batch's object templates
        and symmetries, or None)."""
        dev = inputs.device
        targets = {k: gather_gt(data_samples, k, dev) for k in TARGET_KEYS}
        targets['cam_K'] = gather_meta(data_samples, 'cam_K', dev)
        targets['input_size'] = float(inputs.shape[-1])
        gts = [s.get('gt_instances') for s in data_samples]
        targets['mask'] = (torch.cat([g.mask for g in gts]).to(dev).long()
                           if all(g is not None and 'mask' in g for g in gts) else None)
        if self.cls_head is not None:
            targets['obj_label'] = self.cls_head.labels(
                [s.metainfo.get('obj_name') for s in data_samples], dev)
        targets['templates'] = None
        if self.templates.enabled:
            targets['templates'] = self.templates.batch(
                [s.metainfo['obj_name'] for s in data_samples], dev,
                [bool(s.metainfo.get('obj_mirrored', False)) for s in data_samples])
        return targets

    def loss(self, inputs: torch.Tensor, data_samples: List) -> Dict[str, torch.Tensor]:
        targets = self.collect_targets(inputs, data_samples)
        feats, hand, obj = self._heads(inputs, targets['cam_K'])
        losses = self.mano_head.loss(hand, feats, targets)
        losses.update(self.object_head.loss(obj, feats, targets))
        if self.interaction_head is not None:
            losses.update(self.interaction_head.loss(hand, obj, targets,
                                                     self.mano_head.mano.closed_faces))
        if self.seg_head is not None:
            losses.update(self.seg_head.loss(self.seg_head(feats), targets))
        if self.cls_head is not None:
            losses.update(self.cls_head.loss(self.cls_head(feats), targets))
        return losses

    # -- inference ------------------------------------------------------------------
    def _box_corners(self, sample, dev: torch.device) -> Optional[torch.Tensor]:
        """The object's model-frame box ``(8, 3)``: the sample's, else its template's."""
        gt, name = sample.get('gt_instances'), sample.metainfo.get('obj_name')
        if gt is not None and 'obj_corners_rest' in gt:
            return gt.obj_corners_rest[0].to(dev)
        if self.templates.enabled and name is not None and name in self.templates.library:
            return self.templates.get(name, dev)['corners']
        return None

    def _spin_axis(self, sample, corners: torch.Tensor, dev: torch.device) -> torch.Tensor:
        """The model axis ``(3,)`` about which a readout may take the object's spin from
        elsewhere (``ObjectPoseHead.uses_spin_axes``): its template's continuous symmetry axis
        where it has one (a spin about it changes nothing), else the longest side of its
        box ``corners (8, 3)``."""
        name = sample.metainfo.get('obj_name')
        if self.templates.enabled and name is not None and name in self.templates.library:
            axes = self.templates.library[name].symmetry.axes  # host arrays: no device wait
            if len(axes):
                axis = axes[0] @ MIRROR_X_MATRIX if sample.metainfo.get(
                    'obj_mirrored', False) else axes[0]
                return torch.as_tensor(axis, dtype=corners.dtype, device=dev)
        return longest_side(corners[None])[0]

    def _name_unnamed_objects(self, data_samples: List, scores: torch.Tensor) -> None:
        """Record each sample's best classes (``metainfo['obj_cls_top']``: up to five
        ``(name, probability)``, best first; ``scores (B, N)``) and give a sample without
        ``obj_name`` the top one."""
        k = min(5, scores.shape[-1])
        probs, idx = scores.detach().topk(k, -1)
        names = self.cls_head.class_names
        for s, p, i in zip(data_samples, probs.tolist(), idx.tolist()):
            top = [(names[j], float(q)) for j, q in zip(i, p)]
            s.set_metainfo(dict(obj_cls_top=top))
            if s.metainfo.get('obj_name') is None:
                s.set_metainfo(dict(obj_name=top[0][0], obj_name_source='classified'))

    def predict(self, inputs: torch.Tensor, data_samples: Optional[List]) -> List:
        dev = inputs.device
        if data_samples is None:
            data_samples = [HandObjectDataSample(metainfo=dict(cam_K=K.cpu().numpy()))
                            for K in self._default_camera(inputs)]
        cam_K = gather_meta(data_samples, 'cam_K', dev)
        feats, hand, obj = self._heads(inputs, cam_K)
        fields = self.mano_head.predict(hand, feats, cam_K)
        corners = [self._box_corners(s, dev) for s in data_samples]
        known = all(c is not None for c in corners)
        spin = known and getattr(self.object_head, 'uses_spin_axes', False)
        fields.update(self.object_head.predict(
            obj, feats, cam_K, torch.stack(corners) if known else None,
            torch.stack([self._spin_axis(s, c, dev) for s, c in zip(data_samples, corners)])
            if spin else None))
        if self.seg_head is not None:
            fields.update(self.seg_head.predict(self.seg_head(feats), inputs.shape[-2:]))
        if self.cls_head is not None:
            fields.update(self.cls_head.predict(self.cls_head(feats)))
            self._name_unnamed_objects(data_samples, fields['obj_cls_scores'])
        add_gt_meshes(self.mano_head.mano, data_samples, dev)
        # stamped on every result: numbers from the surrogate are not MANO's
        hand_model = 'surrogate MANO' if self.mano_head.mano.is_surrogate else 'MANO'
        for b, s in enumerate(data_samples):
            root, source = fields['root_cam_pred'][b], 'pred'
            gt = s.get('gt_instances')
            if self.test_cfg['use_gt_root'] and gt is not None and 'root_cam' in gt:
                root, source = gt.root_cam[0].to(dev), 'gt'
            pred = sample_fields(fields, b)
            camera_frame_fields(pred, fields['joints_3d'][b], fields['verts_3d'][b],
                                fields['obj_rot'][b], obj['trans_rel'][b], root, cam_K[b],
                                s.metainfo.get('cam_rot', np.eye(3)), corners[b])
            s.pred_instances = pred
            s.set_metainfo(dict(root_source=source, hand_model=hand_model))
        return data_samples
