"""Axis-aligned boxes: ``x0 y0 x1 y1`` in pixels, and an object's model-frame box."""
from typing import Union

import numpy as np
import torch
import torch.nn.functional as F


def box_iou(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two boxes ``(4,)``."""
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0


def box_area(box: np.ndarray) -> float:
    """Area of a box ``(4,)``, 0 for an empty one."""
    return float(max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1]))


def points_box(points: np.ndarray) -> np.ndarray:
    """The box ``(4,)`` around ``points (N, 2)``."""
    pts = np.asarray(points, np.float64).reshape(-1, 2)
    return np.array([*pts.min(0), *pts.max(0)])


def box_center(box: np.ndarray) -> np.ndarray:
    """Centre ``(2,)`` of a box ``(4,)``."""
    b = np.asarray(box, np.float64)
    return (b[:2] + b[2:]) / 2


def box_side(box: np.ndarray) -> float:
    """The longer side of a box ``(4,)``."""
    b = np.asarray(box, np.float64)
    return float(max(b[2] - b[0], b[3] - b[1]))


Array = Union[np.ndarray, torch.Tensor]


def longest_box_axis(corners: Array) -> Array:
    """The model axis (x, y or z) along which a box's ``corners (..., 8, 3)`` extend
    furthest, as unit vectors ``(..., 3)`` (numpy or torch, as given)."""
    if isinstance(corners, torch.Tensor):
        extent = corners.amax(-2) - corners.amin(-2)
        return F.one_hot(extent.argmax(-1), 3).to(corners.dtype)
    c = np.asarray(corners, np.float64)
    return np.eye(3)[np.argmax(c.max(-2) - c.min(-2), axis=-1)]
