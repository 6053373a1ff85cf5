"""Axis-aligned boxes: ``x0 y0 x1 y1`` in pixels, and an object's model-frame box; the
hand-object crop box grown from a hand box."""
from dataclasses import dataclass
from typing import Sequence, Tuple, Union

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


@dataclass(frozen=True)
class HandObjectBoxPrior:
    """A square hand-object box around a hand box of longer side ``s`` and centre ``c``:
    centre ``c + offset * s``, side ``scale * s``.

    ``tools/analysis_tools/hand_object_box_prior.py CONFIG`` measures it on a dataset's
    ground truth (the median side and offset); the dataset configs hold theirs
    (``hand_object_prior``) and docs/metrics.md the figures. The default is the synthetic
    set's (800 training samples: the side that holds the hand and the object is 1.71 hand
    sides at the median, quartiles 1.46 and 1.98; the hand-object centre 0.09 hand sides
    below the hand's).
    """
    scale: float = 1.71
    offset: Tuple[float, float] = (0.0, 0.09)


def hand_object_box(hand_box: Sequence[float], image_shape: Sequence[int],
                    prior: HandObjectBoxPrior = HandObjectBoxPrior()) -> np.ndarray:
    """``(4,)`` x0 y0 x1 y1: the hand-object box for ``hand_box`` (pixels), kept inside the
    ``(H, W)`` image where it fits (shifted, not shrunk, at the borders)."""
    b = np.asarray(hand_box, np.float64).reshape(4)
    s = max(b[2] - b[0], b[3] - b[1], 1.0)
    c = (b[:2] + b[2:]) / 2 + np.asarray(prior.offset, np.float64) * s
    side = prior.scale * s
    h, w = image_shape[:2]
    lo = c - side / 2
    hi = c + side / 2
    for i, limit in ((0, w), (1, h)):
        if hi[i] - lo[i] <= limit:  # fits: shift inside
            shift = max(0.0, -lo[i]) - max(0.0, hi[i] - limit)
            lo[i] += shift
            hi[i] += shift
        else:  # larger than the image: clip
            lo[i], hi[i] = 0.0, float(limit)
    return np.array([lo[0], lo[1], hi[0], hi[1]])


def required_box(hand_box: np.ndarray, ho_box: np.ndarray) -> Tuple[float, np.ndarray]:
    """For one ground-truth pair: the side (in hand-box sides) of the square centred on the
    hand box that holds ``ho_box``, and the centre offset ``(2,)`` (hand-box sides) of the
    hand-object box from the hand box."""
    s = max(hand_box[2] - hand_box[0], hand_box[3] - hand_box[1], 1.0)
    c = (hand_box[:2] + hand_box[2:]) / 2
    reach = np.abs(np.stack([ho_box[:2] - c, ho_box[2:] - c])).max()
    return float(2 * reach / s), ((ho_box[:2] + ho_box[2:]) / 2 - c) / s
