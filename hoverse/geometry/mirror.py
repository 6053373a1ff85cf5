"""The left-hand mirror, written once.

hoverse has one (right) hand model. A left hand goes through it mirrored across the
camera's ``x = 0`` plane: an image of width ``W`` is flipped (column ``u -> W - 1 - u``),
which shows that mirrored world to a camera whose principal point is ``cx' = W - 1 - cx``.
Under the mirror ``M = diag(-1, 1, 1)`` points map ``x -> M x``, rotations ``R -> M R M``
(axis-angle ``(a, b, c) -> (a, -b, -c)``), rigid transforms ``T -> F T F`` with ``F =
diag(-1, 1, 1, 1)``, and a mesh keeps outward normals only with its faces' winding
reversed. Every map here is its own inverse. Dex-YCB's loader, the object templates, the
physics lookups, the symmetries, the metrics, the result writers and the demos all call
these.
"""
from typing import Sequence, Union

import numpy as np
import torch

Array = Union[np.ndarray, torch.Tensor]

#: the mirror as a matrix (``points @ MIRROR``, ``MIRROR @ R @ MIRROR``)
MIRROR = np.diag([-1.0, 1.0, 1.0])
_SIGNS = (-1.0, 1.0, 1.0)


def _signs(like: Array) -> Array:
    if isinstance(like, torch.Tensor):
        return torch.tensor(_SIGNS, dtype=like.dtype, device=like.device)
    return np.array(_SIGNS)


def mirror_points(points: Array) -> Array:
    """Points or direction vectors ``(..., 3)`` mirrored: ``x -> -x``."""
    return points * _signs(points)


def mirror_points_where(points: torch.Tensor, mirrored: Sequence[bool]) -> torch.Tensor:
    """A batch ``(B, ..., 3)`` with sample ``b`` mirrored where ``mirrored[b]``."""
    flags = torch.tensor([bool(m) for m in mirrored], device=points.device)
    flags = flags.view(-1, *([1] * (points.dim() - 1)))
    return torch.where(flags, mirror_points(points), points)


def mirror_rotation(R: Array) -> Array:
    """Rotations ``(..., 3, 3)`` conjugated by the mirror: ``M R M``."""
    s = _signs(R)
    return R * s[:, None] * s[None, :]


def mirror_transform(T: np.ndarray) -> np.ndarray:
    """Rigid transforms ``(..., 4, 4)`` conjugated by the mirror: ``F T F``."""
    F = np.diag([*_SIGNS, 1.0])
    return F @ np.asarray(T, np.float64) @ F


def mirror_axis_angle(rotvecs: Array) -> Array:
    """Axis-angle rotations ``(..., 3)`` conjugated by the mirror: ``(a, b, c) -> (a, -b,
    -c)`` (the mirror of the axis, turned the other way)."""
    return -mirror_points(rotvecs)


def mirror_faces(faces: np.ndarray) -> np.ndarray:
    """Triangle faces ``(F, 3)`` with their winding reversed (outward normals of a
    mirrored mesh)."""
    return np.ascontiguousarray(np.asarray(faces)[:, ::-1])


def mirror_image(image: np.ndarray) -> np.ndarray:
    """An image ``(H, W, ...)`` flipped left to right."""
    return np.ascontiguousarray(image[:, ::-1])


def mirror_camera(K: np.ndarray, width: int) -> np.ndarray:
    """Intrinsics ``(3, 3)`` of the image flipped at ``width`` pixels."""
    Km = np.array(K, np.float64)
    Km[0, 2] = width - 1 - Km[0, 2]
    return Km


def mirror_box(box, width: int) -> np.ndarray:
    """A box ``x0 y0 x1 y1`` in the image flipped at ``width`` pixels."""
    b = np.asarray(box, np.float64)
    return np.array([width - 1 - b[2], b[1], width - 1 - b[0], b[3]])


def mirror_pixels_affine(width: int) -> np.ndarray:
    """``(3, 3)``: image pixels to the pixels of the image flipped at ``width``."""
    return np.array([[-1.0, 0, width - 1], [0, 1, 0], [0, 0, 1]])
