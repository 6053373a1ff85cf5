"""Pinhole cameras and crop transforms (OpenCV frame: x right, y down, z forward)."""
from typing import Sequence, Tuple, Union

import cv2
import numpy as np
import torch

Array = Union[np.ndarray, torch.Tensor]


#: OpenCV camera axes <-> OpenGL's (HO3D's files, pyrender): y and z flipped; its own inverse
CV_TO_GL = GL_TO_CV = np.diag([1.0, -1.0, -1.0])


def project_points(points: Array, K: Array, eps: float = 1e-6) -> Array:
    """Project ``points (..., N, 3)`` (camera frame, metres) with ``K (..., 3, 3)``.

    Returns ``(..., N, 2)`` pixels. Depths below ``eps`` are clamped (no inf/NaN).
    """
    if isinstance(points, torch.Tensor):
        K = torch.as_tensor(K, dtype=points.dtype, device=points.device)
        uvw = points @ K.transpose(-1, -2)
        return uvw[..., :2] / uvw[..., 2:3].clamp(min=eps)
    uvw = np.asarray(points) @ np.swapaxes(np.asarray(K), -1, -2)
    return uvw[..., :2] / np.maximum(uvw[..., 2:3], eps)


def backproject_points(uv: Array, depth: Array, K: Array) -> Array:
    """Lift pixels ``uv (..., N, 2)`` at ``depth (..., N)`` metres to ``(..., N, 3)``."""
    if isinstance(uv, torch.Tensor):
        K = torch.as_tensor(K, dtype=uv.dtype, device=uv.device)
        ones = torch.ones_like(uv[..., :1])
        rays = torch.cat([uv, ones], -1) @ torch.linalg.inv(K).transpose(-1, -2)
        return rays * depth[..., None]
    uv = np.asarray(uv)
    rays = np.concatenate([uv, np.ones_like(uv[..., :1])], -1) @ np.swapaxes(
        np.linalg.inv(K), -1, -2)
    return rays * np.asarray(depth)[..., None]


def get_crop_affine(center: Sequence[float], size: float, rot_deg: float,
                    output_size: Tuple[int, int]) -> np.ndarray:
    """2x3 affine mapping image pixels into a square crop.

    The square of side ``size`` pixels centred at ``center`` is rotated by ``rot_deg``
    (counter-clockwise in the image) and scaled to ``output_size = (w, h)``.
    """
    w, h = output_size
    scale = w / float(size)
    M = cv2.getRotationMatrix2D((float(center[0]), float(center[1])), rot_deg, scale)
    M[0, 2] += w / 2.0 - center[0]
    M[1, 2] += h / 2.0 - center[1]
    return M


def apply_affine(points: np.ndarray, M: np.ndarray) -> np.ndarray:
    """``points (..., 2)`` pixels -> ``(..., 2)`` through the 2x3 affine ``M``."""
    return points @ M[:, :2].T + M[:, 2]


def crop_points_to_image(points: np.ndarray, crop_affine: np.ndarray) -> np.ndarray:
    """Map crop pixels ``(..., 2)`` back to the original image with the inverse of the
    crop's affine ``(2, 3)`` (image -> crop)."""
    inv = cv2.invertAffineTransform(np.asarray(crop_affine, np.float64))
    return points @ inv[:, :2].T + inv[:, 2]


def crop_camera(K: np.ndarray, M: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Camera of a crop made with the similarity ``M`` (rotation, isotropic scale, shift).

    A rotation of the crop by ``a`` is a rotation of the camera about its optical axis, so
    3D targets rotate with ``R_z`` and the crop's intrinsics stay a pinhole matrix.

    Returns:
        ``K_crop (3, 3)`` and ``R_z (3, 3)`` such that
        ``project(R_z @ X, K_crop) == apply_affine(project(X, K), M)`` for every point ``X``
        (exact when ``fx == fy``; within the aspect mismatch otherwise).
    """
    A = M[:, :2]
    scale = float(np.sqrt(abs(np.linalg.det(A))))
    R2 = A / scale
    Rz = np.eye(3)
    Rz[:2, :2] = R2
    K_rot = np.eye(3)
    K_rot[0, 0], K_rot[1, 1] = K[0, 0] * scale, K[1, 1] * scale
    # principal point: where the optical axis lands after the affine
    K_rot[:2, 2] = apply_affine(K[:2, 2][None], M)[0]
    return K_rot, Rz


def _swap_last(x: Array) -> Array:
    return x.transpose(-1, -2) if isinstance(x, torch.Tensor) else np.swapaxes(x, -1, -2)


def crop_to_camera(points: Array, cam_rot: Array) -> Array:
    """Points ``(..., N, 3)`` in the crop camera frame -> the image's camera frame.

    ``cam_rot`` is :func:`crop_camera`'s ``R_z`` (``(..., 3, 3)``, camera -> crop frame), so
    ``X_cam = R_z^T X_crop``: for row vectors, ``points @ R_z``. The one place hoverse
    undoes the crop's rotation (predictions, ground truth, metrics and writers call it).
    """
    if isinstance(points, torch.Tensor):
        cam_rot = torch.as_tensor(cam_rot, dtype=points.dtype, device=points.device)
    return points @ cam_rot


def crop_rotation_to_camera(R: Array, cam_rot: Array) -> Array:
    """A rotation ``(..., 3, 3)`` (model or hand frame -> crop camera frame) -> the same
    one into the image's camera frame: ``R_z^T R``."""
    if isinstance(R, torch.Tensor):
        cam_rot = torch.as_tensor(cam_rot, dtype=R.dtype, device=R.device)
    return _swap_last(cam_rot) @ R
