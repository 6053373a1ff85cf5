"""From a detected hand box to the hand-object box the model crops around.

A detector finds the hand only; the model was trained on crops around the hand and the
object together (``GetHandObjectBBox``: projected joints and object box corners). The
prior says how the second relates to the first on a dataset's ground truth:
``tools/analysis_tools/hand_object_box_prior.py CONFIG`` measures it (docs/demo.md gives
the figures).
"""
from dataclasses import dataclass
from typing import Sequence, Tuple

import numpy as np


@dataclass(frozen=True)
class HandObjectBoxPrior:
    """A square hand-object box around a hand box of longer side ``s`` and centre ``c``:
    centre ``c + offset * s``, side ``scale * s``.

    The default was measured on the synthetic set's training split (800 samples: the
    median side that holds the hand and the object is 1.71 hand sides, quartiles 1.46 and
    1.98; the hand-object centre sits 0.09 hand sides below the hand's). HO3D and Dex-YCB
    were not available to measure here: run the tool on them and pass its result.
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
