"""The hand-object box that the crop is centred on."""
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from hoverse.geometry.camera import project_points
from hoverse.registry import TRANSFORMS


def object_points_cam(results: Dict) -> np.ndarray:
    """The 8 object box corners in the camera frame ``(8, 3)``."""
    return results['obj_corners_rest'] @ results['obj_rot'].T + results['obj_trans']


@TRANSFORMS.register_module()
class GetHandObjectBBox(BaseTransform):
    """Set ``results['bbox'] (4,)`` xyxy pixels: the box around the hand and the object.

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
