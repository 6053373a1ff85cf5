"""Left hands through the right-hand model: mirror the inputs, reconstruct, mirror the
prediction back (the maps themselves: :mod:`hoverse.geometry.mirror`). The object's
template is then the mirrored one (``metainfo['obj_mirrored']``), as for Dex-YCB's left
hands."""
from typing import Tuple

import numpy as np

from hoverse.geometry.mirror import (mirror_box, mirror_camera, mirror_image,
                                     mirror_pixels_affine, mirror_points, mirror_rotation)

#: point fields (``(1, N, 3)``, camera frame) of a prediction mirrored back
MIRRORED_POINT_FIELDS = ('joints_cam', 'verts_cam', 'obj_trans_cam')


def mirror_inputs(image: np.ndarray, K: np.ndarray, box) -> Tuple[np.ndarray, np.ndarray,
                                                                  np.ndarray]:
    """The flipped image, its intrinsics and the box in it."""
    w = image.shape[1]
    return mirror_image(image), mirror_camera(K, w), mirror_box(box, w)


def unmirror_sample(sample, width: int, K: np.ndarray):
    """Map a prediction made on the flipped image back to the original one (in place):
    camera-frame points, object pose, intrinsics, box and crop transform; marks
    ``metainfo`` ``hand_side='left'`` and ``obj_mirrored=True``."""
    p = sample.pred_instances
    for key in MIRRORED_POINT_FIELDS:
        if key in p:
            p.set_field(mirror_points(p.get(key)), key)
    if 'obj_rot_cam' in p:
        p.obj_rot_cam = mirror_rotation(p.obj_rot_cam)
    meta = dict(orig_cam_K=np.asarray(K, np.float64), hand_side='left', obj_mirrored=True)
    if 'bbox' in sample.metainfo:
        meta['bbox'] = mirror_box(np.asarray(sample.metainfo['bbox']), width).astype(np.float32)
    if 'crop_affine' in sample.metainfo:  # original image -> flipped image -> crop
        A = np.asarray(sample.metainfo['crop_affine'], np.float64)
        meta['crop_affine'] = (A @ mirror_pixels_affine(width))[:2]
    sample.set_metainfo(meta)
    return sample
