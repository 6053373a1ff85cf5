"""Surface and point-set comparisons: nearest distances, F-score, chamfer distance."""
from typing import Tuple

import numpy as np
from scipy.spatial import cKDTree


def nearest_distances(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """For each point of ``src (N, 3)``, the distance to the closest point of ``dst (M, 3)``."""
    return cKDTree(np.asarray(dst, np.float64)).query(np.asarray(src, np.float64))[0]


def f_score(pred: np.ndarray, gt: np.ndarray, threshold: float
            ) -> Tuple[float, float, float]:
    """F-score of two point sets at ``threshold`` (same unit), as the HO3D and FreiHAND
    benchmarks define it: precision = fraction of predicted points closer than the
    threshold to the ground truth, recall = the same from the ground truth's side
    (strictly closer), F = 2PR / (P + R), or 0 when both are 0.

    Returns ``(f, precision, recall)``.
    """
    if len(pred) == 0 or len(gt) == 0:
        return 0.0, 0.0, 0.0
    precision = float((nearest_distances(pred, gt) < threshold).mean())
    recall = float((nearest_distances(gt, pred) < threshold).mean())
    if precision + recall == 0:
        return 0.0, precision, recall
    return 2 * precision * recall / (precision + recall), precision, recall


def chamfer_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Symmetric chamfer distance: the mean of ``a``'s and ``b``'s mean closest-point
    distances to the other set (same unit as the points, not squared)."""
    return float((nearest_distances(a, b).mean() + nearest_distances(b, a).mean()) / 2)
