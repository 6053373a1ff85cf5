"""Build a model from a config and run it on images: the entry points of the demos."""
import os.path as osp
from typing import List, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import init_default_scope

from hoverse.registry import MODELS
from hoverse.structures import HandObjectDataSample

ImageLike = Union[str, np.ndarray]


def init_model(config: Union[str, Config], checkpoint: Optional[str] = None,
               device: str = 'cpu', cfg_options: Optional[dict] = None,
               allow_new_keys: bool = False) -> torch.nn.Module:
    """Build the model of ``config`` and load ``checkpoint`` (safe loading: weights only
    plus hoverse's allow-list). ``model.cfg`` keeps the config.

    Raises:
        FileNotFoundError: the config or the checkpoint does not exist.
        UnknownConfigKeyError: a ``cfg_options`` key is not in the config.
        CheckpointMismatchError: the checkpoint's weights do not fit the config's model
            (counts and first keys of the missing, unexpected and wrong-shaped ones).
    """
    if checkpoint is not None and not osp.isfile(checkpoint):  # before any slow build
        raise FileNotFoundError(f'checkpoint {checkpoint!r} does not exist; train one '
                                'with tools/train.py or pass the path of a .pth file')
    config_name = config if isinstance(config, str) else None
    if isinstance(config, str):
        if not osp.isfile(config):
            raise FileNotFoundError(f'config file {config!r} does not exist')
        from hoverse.utils.config import read_config
        config = read_config(config)  # a syntax error names its file and line
    if cfg_options:
        from hoverse.utils.config import merge_cfg_options
        # a key that does not exist fails clearly, unless allow_new_keys
        merge_cfg_options(config, cfg_options, allow_new_keys=allow_new_keys)
    init_default_scope(config.get('default_scope', 'hoverse'))
    model_cfg = config.model.copy()
    if model_cfg.get('backbone', {}).get('init_cfg'):
        model_cfg.backbone.init_cfg = None  # the checkpoint holds every weight
    model = MODELS.build(model_cfg)
    if checkpoint is not None:
        from hoverse.engine import check_checkpoint_fits, safe_load_checkpoint
        from hoverse.engine.checkpoint_fit import strip_ddp_prefix
        ckpt = safe_load_checkpoint(checkpoint, map_location='cpu')
        state = ckpt.get('state_dict', ckpt)
        # before loading: a mismatch is one named summary, not a state-dict traceback
        check_checkpoint_fits(model, state, checkpoint, config_name)
        model.load_state_dict(strip_ddp_prefix(state), strict=False)
    model.cfg = config
    return model.to(device).eval()


def default_camera(height: int, width: int) -> np.ndarray:
    """A pinhole camera for images without intrinsics: focal length = the longer side
    (about 53 degrees of field of view), principal point at the centre. Depths are then
    only as right as this guess; pass the real ``camera`` for metric placement."""
    f = float(max(height, width))
    return np.array([[f, 0, width / 2], [0, f, height / 2], [0, 0, 1]], np.float64)


def _check_bbox(bbox: Sequence[float], shape: Sequence[int], source: str) -> np.ndarray:
    box = np.asarray(bbox, np.float64).reshape(-1)
    if box.shape != (4,) or not np.isfinite(box).all():
        raise ValueError(f'bbox for {source} must be 4 finite numbers x0 y0 x1 y1, got {bbox}')
    if box[2] < box[0] or box[3] < box[1]:
        raise ValueError(f'bbox {box.tolist()} for {source} has x1 < x0 or y1 < y0: corners '
                         'swapped? Expected x0 y0 x1 y1 (top-left, bottom-right, pixels)')
    h, w = shape[:2]
    x0, y0 = max(box[0], 0), max(box[1], 0)
    x1, y1 = min(box[2], w), min(box[3], h)
    if x1 - x0 < 2 or y1 - y0 < 2:
        raise ValueError(f'bbox {box.tolist()} for {source} does not overlap the {w}x{h} '
                         'image by at least 2 pixels (x0 y0 x1 y1, pixels)')
    return box


#: test-pipeline transforms that need ground truth; inference leaves them out
ANNOTATION_TRANSFORMS = ('GenerateTargets', )


def inference_pipeline(model) -> Compose:
    """The config's test pipeline (``test_dataloader.dataset.pipeline``) without the
    transforms that need annotations (:data:`ANNOTATION_TRANSFORMS`); a model without a
    test dataloader gets load -> box -> crop at ``model.input_size`` -> pack.

    Raises:
        ValueError: the pipeline's crop size differs from the model's ``input_size``.
    """
    cfg = getattr(model, 'cfg', None)
    steps = None
    if cfg is not None and cfg.get('test_dataloader') is not None:
        steps = cfg.test_dataloader.get('dataset', {}).get('pipeline')
    if steps is None:
        size = (model.input_size, model.input_size)
        steps = [dict(type='LoadImage'), dict(type='HandObjectCropBox', sources=('given', )),
                 dict(type='TopDownAffine', input_size=size), dict(type='PackHandObjectInputs')]
    steps = [dict(t) for t in steps if t['type'] not in ANNOTATION_TRANSFORMS]
    for t in steps:
        if t['type'] == 'TopDownAffine' and tuple(t['input_size']) != (model.input_size, ) * 2:
            raise ValueError(f"the test pipeline crops to {tuple(t['input_size'])} but "
                             f'model.input_size is {model.input_size}: set both to one size')
    return Compose(steps)


def check_object_name(model, object_name: Optional[str]) -> None:
    """Raise ``KeyError`` (naming the known objects) unless ``object_name`` is None or one
    of the model's templates."""
    if object_name is None:
        return
    if not model.templates.enabled:
        raise KeyError(f'object {object_name!r}: the model has no object templates '
                       '(set model.object_models_root in the config)')
    if object_name not in model.templates.library:
        raise KeyError(f'object {object_name!r} has no template in '
                       f'{model.templates.library.root!r}; known: {model.templates.library.names}')


def crop_prior(model):
    """The hand-object prior (:class:`~hoverse.geometry.boxes.HandObjectBoxPrior`) with
    which the model's test pipeline grows a hand box into its crop: the demos grow a
    detected hand the same way. The default prior where the pipeline has none."""
    from hoverse.geometry.boxes import HandObjectBoxPrior
    for step in inference_pipeline(model).transforms:
        if hasattr(step, 'prior') and isinstance(step.prior, HandObjectBoxPrior):
            return step.prior
    return HandObjectBoxPrior()


def _prepare(pipeline: Compose, image: ImageLike, bbox, hand_bbox, object_name, camera,
             index: int) -> dict:
    from hoverse.datasets.transforms.loading import read_image_rgb
    if isinstance(image, str):
        img, source = read_image_rgb(image), image
    else:
        img, source = np.asarray(image), f'image {index}'
        if img.ndim == 2:
            img = np.repeat(img[..., None], 3, -1)
        if img.ndim != 3 or img.shape[2] not in (3, 4) or img.dtype != np.uint8 or \
                min(img.shape[:2]) == 0:
            raise ValueError(f'{source} must be an RGB uint8 array (H, W, 3), got '
                             f'{img.dtype} {img.shape}')
        img = np.ascontiguousarray(img[..., :3])
    h, w = img.shape[:2]
    if min(h, w) < 2:
        raise ValueError(f'{source} is {w}x{h} pixels; an image must be at least 2x2')
    K = default_camera(h, w) if camera is None else np.asarray(camera, np.float64)
    if K.shape != (3, 3):
        raise ValueError(f'camera must be a 3x3 intrinsic matrix, got shape {K.shape}')
    results = dict(img=img, img_path=source, cam_K=K, sample_idx=index)
    if hand_bbox is not None:  # grown into the crop by the pipeline's prior
        results['hand_bbox'] = _check_bbox(hand_bbox, img.shape, source)
    else:
        results['crop_bbox'] = _check_bbox(bbox if bbox is not None else (0, 0, w, h),
                                           img.shape, source)
    if object_name is not None:
        results['obj_name'] = object_name
    return pipeline(results)


def _per_image_keypoints(hand_keypoints, count: int, single: bool) -> List:
    if hand_keypoints is None:
        return [None] * count
    rows = [hand_keypoints] if single else list(hand_keypoints)
    if len(rows) != count:
        raise ValueError(f'{len(rows)} sets of hand keypoints for {count} images')
    out = []
    for r in rows:
        if r is not None:
            r = np.asarray(r, np.float64)
            if r.shape != (21, 2) or not np.isfinite(r).all():
                raise ValueError('hand_keypoints must be 21 finite (x, y) image pixels per '
                                 f'image, got shape {r.shape}')
        out.append(r)
    return out


def _set_fit_evidence(data_sample, keypoints: np.ndarray, mirrored_width: Optional[int]):
    """Image-pixel joints into the crop (through the flip first for a left hand) as the
    fit's 2D evidence."""
    from hoverse.geometry.camera import apply_affine
    from hoverse.geometry.mirror import mirror_pixels_affine
    from hoverse.models.heads.mano_head import FIT_EVIDENCE_KEY
    A = np.asarray(data_sample.metainfo['crop_affine'], np.float64)
    if mirrored_width is not None:
        keypoints = apply_affine(keypoints, mirror_pixels_affine(mirrored_width)[:2])
    data_sample.set_metainfo({FIT_EVIDENCE_KEY: apply_affine(keypoints, A).astype(np.float32)})


def inference_model(model: torch.nn.Module, images: Union[ImageLike, Sequence[ImageLike]],
                    bbox: Optional[Sequence] = None, object_name: Optional[str] = None,
                    camera: Optional[np.ndarray] = None, batch_size: int = 8,
                    hand_side: Union[str, Sequence[str]] = 'right',
                    hand_bbox: Optional[Sequence] = None,
                    hand_keypoints: Optional[Sequence] = None
                    ) -> Union[HandObjectDataSample, List[HandObjectDataSample]]:
    """Reconstruct the hand and object in one image or a list of images, prepared by the
    config's test pipeline (:func:`inference_pipeline`).

    Args:
        images: a path or an RGB uint8 array ``(H, W, 3)``, or a list of them.
        bbox: the crop's box ``x0 y0 x1 y1`` (pixels, the hand and the object), one per
            image for a list (``None``: the whole image).
        hand_bbox: instead, the hand's box (a detector's), one per image for a list: grown
            into the crop by the model's hand-object prior (:func:`crop_prior`), as the
            test pipeline grows a benchmark's hand box.
        object_name: the held object's template (``model.templates``), for its corners
            and mesh; ``None`` reconstructs the pose only.
        camera: intrinsics ``(3, 3)``; ``None``: :func:`default_camera`.
        hand_side: ``'right'`` or ``'left'`` (one per image for a list): a left hand goes
            through the right-hand model mirrored and comes back mirrored
            (:mod:`hoverse.apis.mirror`; ``metainfo['hand_side']``, ``obj_mirrored``).
        hand_keypoints: 2D joints ``(21, 2)`` (image pixels, canonical order; one per
            image, or None, for a list) that the model's test-time hand fit aims at instead
            of its own (a detector's landmarks: :mod:`hoverse.apis.fit_target`). Needs a
            fit (``mano_head.test_fit``); ignored without one.

    Returns:
        data samples (one per image) whose ``pred_instances`` hold ``joints_cam (1, 21, 3)``,
        ``verts_cam (1, 778, 3)``, ``obj_rot_cam``, ``obj_trans_cam`` (camera frame,
        metres), ``keypoints_2d`` (crop pixels) and MANO parameters; ``metainfo`` holds
        ``crop_affine`` to map crop pixels back to the image.
    """
    single = isinstance(images, (str, np.ndarray))
    imgs = [images] if single else list(images)
    if bbox is not None and hand_bbox is not None:
        raise ValueError('give the crop (bbox) or the hand (hand_bbox), not both')
    is_hand = hand_bbox is not None
    bbox = hand_bbox if is_hand else bbox
    boxes = [bbox] if single or bbox is None or np.ndim(bbox[0]) == 0 else list(bbox)
    if len(boxes) == 1 and len(imgs) > 1:
        boxes = boxes * len(imgs)
    if len(boxes) != len(imgs):
        raise ValueError(f'{len(boxes)} boxes for {len(imgs)} images')
    check_object_name(model, object_name)
    kpts = _per_image_keypoints(hand_keypoints, len(imgs), single)
    sides = [hand_side] * len(imgs) if isinstance(hand_side, str) else list(hand_side)
    if len(sides) != len(imgs) or any(s not in ('right', 'left') for s in sides):
        raise ValueError(f"hand_side must be 'right' or 'left' (one per image), got {hand_side}")
    flips = {}
    if 'left' in sides:
        from hoverse.apis.mirror import mirror_inputs
        from hoverse.datasets.transforms.loading import read_image_rgb
        imgs, boxes = list(imgs), list(boxes)
        for i, side in enumerate(sides):
            if side == 'left':
                img = read_image_rgb(imgs[i]) if isinstance(imgs[i], str) else np.asarray(imgs[i])
                h, w = img.shape[:2]
                K = default_camera(h, w) if camera is None else np.asarray(camera, np.float64)
                box = boxes[i] if boxes[i] is not None else (0, 0, w, h)
                imgs[i], Km, boxes[i] = mirror_inputs(img, K, box)
                flips[i] = (w, K, Km)
    pipeline = inference_pipeline(model)
    out: List[HandObjectDataSample] = []
    for start in range(0, len(imgs), batch_size):
        items = [_prepare(pipeline, im, None if is_hand else bx, bx if is_hand else None,
                          object_name, flips[start + i][2] if start + i in flips else camera,
                          start + i)
                 for i, (im, bx) in enumerate(zip(imgs[start:start + batch_size],
                                                  boxes[start:start + batch_size]))]
        for i, item in enumerate(items):
            j = start + i
            if kpts[j] is not None:
                _set_fit_evidence(item['data_samples'], kpts[j],
                                  flips[j][0] if j in flips else None)
        with torch.no_grad():
            data = model.data_preprocessor(pseudo_collate(items), False)
            out.extend(model(**data, mode='predict'))
    if flips:
        from hoverse.apis.mirror import unmirror_sample
        for i, (w, K, _) in flips.items():
            unmirror_sample(out[i], w, K)
    return out[0] if single else out
