"""Axis-aligned boxes ``x0 y0 x1 y1`` in pixels."""
import numpy as np


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
