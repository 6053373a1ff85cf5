"""The hand-object reconstructor: backbone -> D-BFAM -> CFSM -> the heads, in order."""
from typing import Dict, List, Optional, Union

import torch
from mmengine.model import BaseModel

from hoverse.objects import TemplateBank
from hoverse.registry import KEYPOINT_CODECS, MODELS
from hoverse.structures import HandObjectDataSample
from hoverse.utils.dataset_info import parse_dataset_info

from ..fitters import build_physical_fit
from .camera_results import pack_predictions
from .component_configs import check_crop_sizes, fill_from_dataset_info

#: the order the heads run in for the losses (each reads the outputs of those before it)
LOSS_ORDER = ('mano_head', 'object_head', 'interaction_head', 'seg_head', 'cls_head')
#: the order for predictions: the classifier names the object before the object head
#: looks its template up
PREDICT_ORDER = ('mano_head', 'cls_head', 'object_head', 'seg_head', 'interaction_head')


@MODELS.register_module()
class HandObjectReconstructor(BaseModel):
    """hoverse's model: it runs the network and delegates every loss and prediction field
    to its heads (``BaseHead``: ``loss(feats, data_samples, train_cfg)``, ``predict(feats,
    data_samples, test_cfg)``), sharing one :class:`TemplateBank` with them.

    Args:
        backbone / dbfam / cfsm: the network (``dbfam`` or ``cfsm`` ``None``: ablations).
        mano_head / object_head: the hand and object decoders.
        interaction_head: the physics losses (``None`` drops them); seg_head: auxiliary
            segmentation (needs masks); cls_head: which object is held (its
            ``class_names`` default to the templates' names).
        object_models_root: object templates (YCB layout, ``models_info.json``).
        num_object_samples: surface samples per template for the losses.
        input_size: crop side in pixels; codec: the keypoint heatmap codec, handed to
            D-BFAM and both decoders (its input size must be ``input_size``).
        dataset_info: a dataset description file: keypoint counts, graphs and
            segmentation classes of the components (their own arguments win).
        channels_last: NHWC backbone weights and input. compile: ``torch.compile`` the
            network modules (``True`` or ``torch.compile`` arguments).
        test_cfg: ``use_gt_root`` (default True): place predictions at the sample's true
            root joint when it has one (``metainfo['root_source']`` says which);
            ``physical_fit``: a test-time hand-object fit (e.g. ``dict(type=
            'HandObjectFitter')``) run on the heads' predictions.

    ``forward(inputs (B, 3, H, W), data_samples, mode)``: ``'loss'`` (the heads' loss
    dicts), ``'predict'`` (samples with ``pred_instances``), ``'tensor'`` (raw outputs).
    """

    def __init__(self, backbone: dict, mano_head: dict, object_head: dict,
                 interaction_head: Optional[dict] = dict(type='InteractionHead'),
                 seg_head: Optional[dict] = None, cls_head: Optional[dict] = None,
                 dbfam: Optional[dict] = None, cfsm: Optional[dict] = None,
                 object_models_root: Optional[str] = None, num_object_samples: int = 512,
                 input_size: int = 256,
                 codec: dict = dict(type='SoftArgmaxHeatmap', input_size=256, heatmap_size=32),
                 dataset_info: Optional[str] = None, channels_last: bool = False,
                 compile: Union[bool, dict] = False, data_preprocessor: Optional[dict] = None,
                 train_cfg: Optional[dict] = None, test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor or dict(
            type='HandObjectDataPreprocessor'), init_cfg=init_cfg)
        self.dataset_meta = parse_dataset_info(dict(from_file=dataset_info)) \
            if dataset_info else None
        if self.dataset_meta is not None:
            dbfam, mano_head, object_head, seg_head = fill_from_dataset_info(
                self.dataset_meta, dbfam, mano_head, object_head, seg_head)
        self.backbone = MODELS.build(backbone)
        self.dbfam = MODELS.build(dict(dbfam, codec=codec)) if dbfam else None
        self.cfsm = MODELS.build(cfsm) if cfsm else None
        self.mano_head = MODELS.build(dict(mano_head, codec=codec))
        self.object_head = MODELS.build(dict(object_head, codec=codec))
        self.interaction_head = MODELS.build(interaction_head) if interaction_head else None
        self.seg_head = MODELS.build(seg_head) if seg_head else None
        coord_codec = getattr(self.object_head, 'coord_codec', None)
        check_crop_sizes(KEYPOINT_CODECS.build(codec), coord_codec, input_size)
        self.templates = TemplateBank(object_models_root, num_object_samples,
                                      coord_codec.num_samples if coord_codec else 0)
        if cls_head and not cls_head.get('class_names') and self.templates.enabled:
            cls_head = dict(cls_head, class_names=self.templates.library.names)
        self.cls_head = MODELS.build(cls_head) if cls_head else None
        for head in self.heads(LOSS_ORDER):
            head.templates = self.templates
        self.input_size, self.channels_last = input_size, channels_last
        if channels_last:
            self.backbone.to(memory_format=torch.channels_last)
        self.train_cfg = train_cfg or {}
        self.test_cfg = dict(dict(use_gt_root=True), **(test_cfg or {}))
        self.physical_fit = build_physical_fit(self.test_cfg.pop('physical_fit', None))
        if compile:
            kwargs = dict(compile) if isinstance(compile, dict) else {}
            for module in [self.backbone, *self.heads(('dbfam', 'cfsm') + LOSS_ORDER)]:
                module.compile(**kwargs)

    def heads(self, order) -> List[torch.nn.Module]:
        """The model's heads in ``order`` (attribute names), those it has."""
        return [getattr(self, n) for n in order if getattr(self, n) is not None]

    def extract_feat(self, inputs: torch.Tensor) -> Dict:
        """The necks' feature dict, with ``input_size`` (the crop's side)."""
        if self.channels_last:
            inputs = inputs.contiguous(memory_format=torch.channels_last)
        size = float(inputs.shape[-1])
        feats = self.backbone(inputs)
        if self.dbfam is not None:
            feats = self.dbfam(feats, size)
        if self.cfsm is not None:
            feats = self.cfsm(feats, size)
        return dict(feats, input_size=size)

    def forward(self, inputs: torch.Tensor, data_samples: Optional[List] = None,
                mode: str = 'tensor') -> Union[Dict[str, torch.Tensor], List]:
        if mode not in ('loss', 'predict', 'tensor'):
            raise ValueError(f"mode must be 'loss', 'predict' or 'tensor', got {mode!r}")
        data_samples = data_samples or self.default_samples(inputs)
        feats = self.extract_feat(inputs)
        if mode == 'loss':
            losses = {}
            for head in self.heads(LOSS_ORDER):
                losses.update(head.loss(feats, data_samples, self.train_cfg))
            return losses
        if mode == 'tensor':
            out = {}
            for head in self.heads(PREDICT_ORDER):
                out.update({f'{head.out_key}_{k}': v
                            for k, v in head.outputs(feats, data_samples).items()})
            out.update({k: feats[k] for k in ('hand_heatmaps', 'object_heatmaps', 'hand_kpts',
                                              'object_kpts') if k in feats})
            return out
        fields = {}
        for head in self.heads(PREDICT_ORDER):
            fields.update(head.predict(feats, data_samples, self.test_cfg))
        cam_K = torch.stack([torch.as_tensor(s.metainfo['cam_K'], dtype=torch.float32)
                             for s in data_samples]).to(inputs.device)
        if self.physical_fit is not None:
            fields = self.physical_fit(fields, self.mano_head.mano, self.templates,
                                       data_samples, cam_K)
        hand_model = 'surrogate MANO' if self.mano_head.mano.is_surrogate else 'MANO'
        return pack_predictions(fields, data_samples, cam_K, self.test_cfg['use_gt_root'],
                                hand_model)

    def default_samples(self, inputs: torch.Tensor) -> List[HandObjectDataSample]:
        """Samples for raw tensors: a crop camera with focal length = crop size and the
        principal point at the centre."""
        B, _, H, W = inputs.shape
        K = [[float(W), 0, W / 2], [0, float(W), H / 2], [0, 0, 1]]
        return [HandObjectDataSample(metainfo=dict(cam_K=K)) for _ in range(B)]
