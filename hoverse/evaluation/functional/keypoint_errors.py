"""Per-point error statistics in the form the hand benchmarks report them.

The HO3D and Dex-YCB evaluations keep the Euclidean errors per keypoint (or vertex) over
all samples, then average over keypoints: the mean error of each keypoint, and the area
under its PCK curve (fraction of samples with error <= threshold, thresholds evenly
spaced, trapezoidal rule, normalised by the threshold range).
"""
from typing import Dict

import numpy as np


def point_distances(pred: np.ndarray, gt: np.ndarray) -> np.ndarray:
    """Euclidean distances ``(..., N)`` between ``pred`` and ``gt`` ``(..., N, 3)``."""
    return np.linalg.norm(np.asarray(pred, np.float64) - np.asarray(gt, np.float64), axis=-1)


def _trapezoid(y: np.ndarray, x: np.ndarray) -> float:
    return float(((y[1:] + y[:-1]) * np.diff(x)).sum() / 2)


def pck_curve(dists: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """``dists (S, K)`` -> ``(K, T)`` fraction of samples with error <= each threshold."""
    return (dists[:, :, None] <= thresholds[None, None]).mean(0)


def keypoint_error_stats(dists: np.ndarray, val_min: float = 0.0, val_max: float = 0.05,
                         steps: int = 100) -> Dict[str, np.ndarray]:
    """Benchmark statistics of ``dists (S, K)`` (S samples, K points, one unit throughout).

    Returns ``mean`` and ``median`` (per-point mean / median, averaged over points),
    ``auc`` (per-point PCK AUC over ``linspace(val_min, val_max, steps)``, averaged),
    ``pck`` (the point-averaged curve, ``(steps,)``) and ``thresholds``.
    """
    dists = np.asarray(dists, np.float64)
    if dists.ndim != 2 or dists.shape[0] == 0:
        raise ValueError(f'dists must be (samples, points) with samples > 0, got {dists.shape}')
    thr = np.linspace(val_min, val_max, steps)
    curves = pck_curve(dists, thr)
    norm = _trapezoid(np.ones_like(thr), thr)
    aucs = np.array([_trapezoid(c, thr) / norm for c in curves])
    return dict(mean=float(dists.mean(0).mean()), median=float(np.median(dists, 0).mean()),
                auc=float(aucs.mean()), pck=curves.mean(0), thresholds=thr)
