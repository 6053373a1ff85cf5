"""The box the crop is centred on."""
from typing import Dict, Optional, Sequence

import numpy as np
from mmcv.transforms import BaseTransform

from hoverse.geometry.boxes import HandObjectBoxPrior, hand_object_box, points_box
from hoverse.geometry.camera import project_points
from hoverse.registry import TRANSFORMS

#: where :class:`HandObjectCropBox` may take the hand box from
HAND_BOX_SOURCES = ('given', 'joints')


def object_points_cam(results: Dict) -> np.ndarray:
    """The 8 object box corners in the camera frame ``(8, 3)``."""
    return results['obj_corners_rest'] @ results['obj_rot'].T + results['obj_trans']


@TRANSFORMS.register_module()
class HandObjectCropBox(BaseTransform):
    """Set ``results['bbox'] (4,)`` xyxy pixels, the box the crop is centred on: a hand box
    enlarged to the hand and the object by the dataset's hand-object prior
    (:func:`~hoverse.geometry.boxes.hand_object_box`). One protocol for training, testing
    and the demos; no object annotation is read, so none enters a test crop.

    The hand box is the first of ``sources`` that the sample has:

    - ``'given'``: ``results['hand_bbox']``, a box that comes with the image (HO3D's
      evaluation ``handBoundingBox``, the demos' detected hand);
    - ``'joints'``: the box of the projected ground-truth joints (``joints_cam``, ``cam_K``),
      the training crops' and, where a benchmark gives no box, the test crops' (as peers
      crop Dex-YCB and held-out HO3D frames).

    A ``results['crop_bbox']`` (a crop the caller chose, such as the demos' ``--bbox``) is
    used as it is. Without any, the whole image. Training jitter is :class:`TopDownAffine`'s.

    Args:
        sources: the hand boxes, in order of preference.
        prior: ``dict(scale, offset)`` (:class:`~hoverse.geometry.boxes.HandObjectBoxPrior`).
    """

    def __init__(self, sources: Sequence[str] = ('given', 'joints'),
                 prior: Optional[dict] = None) -> None:
        bad = [s for s in sources if s not in HAND_BOX_SOURCES]
        if bad or not sources:
            raise ValueError(f'HandObjectCropBox: sources must be a non-empty sequence of '
                             f'{HAND_BOX_SOURCES}, got {list(sources)}')
        self.sources = tuple(sources)
        self.prior = HandObjectBoxPrior(**(prior or {}))

    def hand_box(self, results: Dict) -> Optional[np.ndarray]:
        """The hand box ``(4,)`` from the first of ``sources`` the sample has, or None."""
        for source in self.sources:
            if source == 'given' and results.get('hand_bbox') is not None:
                return np.asarray(results['hand_bbox'], np.float64).reshape(4)
            if source == 'joints' and results.get('joints_cam') is not None:
                return points_box(project_points(np.asarray(results['joints_cam'], np.float64),
                                                 results['cam_K']))
        return None

    def transform(self, results: Dict) -> Dict:
        h, w = results['img_shape']
        if results.get('crop_bbox') is not None:
            box = np.asarray(results['crop_bbox'], np.float64).reshape(4)
        else:
            hand = self.hand_box(results)
            box = (np.array([0, 0, w - 1, h - 1], np.float64) if hand is None else
                   hand_object_box(hand, (h, w), self.prior))
        if box[2] - box[0] < 1 or box[3] - box[1] < 1:
            box = np.array([0, 0, w - 1, h - 1], np.float64)
        results['bbox'] = box.astype(np.float32)
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(sources={self.sources}, prior={self.prior})'


@TRANSFORMS.register_module()
class GetHandObjectBBox(BaseTransform):
    """Set ``results['bbox'] (4,)`` xyxy pixels: the box around the hand and the object.

    The protocol before :class:`HandObjectCropBox`, kept to measure what it changes
    (docs/results.md): it reads the object's ground-truth pose, so on a test split object
    annotation enters the crop.

    Order of sources: the projected ground truth (hand joints and object box corners), or,
    when those are absent (test sets), the given ``hand_bbox``, else the whole image. The
    box is clipped to the image; a box that ends up empty falls back to the whole image.

    Args:
        use_given: prefer ``hand_bbox`` when present (test-time protocol boxes).
    """

    def __init__(self, use_given: bool = False) -> None:
        self.use_given = use_given

    def transform(self, results: Dict) -> Dict:
        h, w = results['img_shape']
        given = results.get('hand_bbox')
        box = None
        if not (self.use_given and given is not None):
            pts = []
            if results.get('joints_cam') is not None:
                pts.append(results['joints_cam'])
            if results.get('obj_rot') is not None and results.get('obj_corners_rest') is not None:
                pts.append(object_points_cam(results))
            if pts:
                uv = project_points(np.concatenate(pts), results['cam_K'])
                box = np.array([*uv.min(0), *uv.max(0)])
        if box is None and given is not None:
            box = np.asarray(given, np.float64)
        if box is None:
            box = np.array([0, 0, w - 1, h - 1], np.float64)
        box = np.clip(box, [0, 0, 0, 0], [w - 1, h - 1, w - 1, h - 1])
        if box[2] - box[0] < 1 or box[3] - box[1] < 1:
            box = np.array([0, 0, w - 1, h - 1], np.float64)
        results['bbox'] = box.astype(np.float32)
        return results
