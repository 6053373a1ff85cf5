"""Left hands through the right-hand model: mirror the image, reconstruct, mirror back.

Flipping an image of width ``W`` (column ``u -> W - 1 - u``) shows the world mirrored
across the camera's ``x = 0`` plane to a camera with ``cx' = W - 1 - cx``: a left hand
becomes a right hand. Predictions made on the flipped image are mapped back with
``M = diag(-1, 1, 1)``: points ``x -> M x``, object rotation ``R -> M R M``, translation
``t -> M t``; the object's template is then the mirrored one (``metainfo['obj_mirrored']``),
as for Dex-YCB's left hands.
"""
from typing import Tuple

import numpy as np
import torch

from hoverse.geometry.camera import MIRROR_X_MATRIX

#: point fields (``(1, N, 3)``, camera frame) of a prediction mirrored back
MIRRORED_POINT_FIELDS = ('joints_cam', 'verts_cam', 'obj_trans_cam')


def mirror_camera(K: np.ndarray, width: int) -> np.ndarray:
    """Intrinsics ``(3, 3)`` of the horizontally flipped image."""
    Km = np.array(K, np.float64)
    Km[0, 2] = width - 1 - Km[0, 2]
    return Km


def mirror_box(box, width: int) -> np.ndarray:
    """x0 y0 x1 y1 of a box in the flipped image (pixels)."""
    b = np.asarray(box, np.float64)
    return np.array([width - 1 - b[2], b[1], width - 1 - b[0], b[3]])


def mirror_inputs(image: np.ndarray, K: np.ndarray, box) -> Tuple[np.ndarray, np.ndarray,
                                                                  np.ndarray]:
    """The flipped image, its intrinsics and the box in it."""
    w = image.shape[1]
    return (np.ascontiguousarray(image[:, ::-1]), mirror_camera(K, w), mirror_box(box, w))


def unmirror_sample(sample, width: int, K: np.ndarray):
    """Map a prediction made on the flipped image back to the original one (in place):
    camera-frame points, object pose, intrinsics, box and crop transform; marks
    ``metainfo`` ``hand_side='left'`` and ``obj_mirrored=True``."""
    p = sample.pred_instances
    M = torch.as_tensor(MIRROR_X_MATRIX, dtype=torch.float32)
    for key in MIRRORED_POINT_FIELDS:
        if key in p:
            v = p.get(key)
            p.set_field(v * M.diag().to(v), key)
    if 'obj_rot_cam' in p:
        R = p.obj_rot_cam
        p.obj_rot_cam = M.to(R) @ R @ M.to(R)
    meta = dict(orig_cam_K=np.asarray(K, np.float64), hand_side='left', obj_mirrored=True)
    if 'bbox' in sample.metainfo:
        meta['bbox'] = mirror_box(np.asarray(sample.metainfo['bbox']), width).astype(np.float32)
    if 'crop_affine' in sample.metainfo:  # original image -> flipped image -> crop
        flip = np.array([[-1.0, 0, width - 1], [0, 1, 0], [0, 0, 1]])
        A = np.asarray(sample.metainfo['crop_affine'], np.float64)
        meta['crop_affine'] = (A @ flip)[:2]
    sample.set_metainfo(meta)
    return sample
