"""Hand pose errors (numpy; inputs in metres, outputs in millimetres)."""
import numpy as np

from hoverse.geometry.procrustes import similarity_procrustes


def mpjpe(pred: np.ndarray, gt: np.ndarray) -> float:
    """Mean Euclidean distance ``(N, 3)`` vs ``(N, 3)``, millimetres."""
    return float(np.linalg.norm(pred - gt, axis=-1).mean() * 1000)


def pa_mpjpe(pred: np.ndarray, gt: np.ndarray) -> float:
    """MPJPE after the similarity Procrustes alignment of ``pred`` onto ``gt``, millimetres."""
    s, R, t = similarity_procrustes(pred, gt)
    return mpjpe(s * pred @ R.T + t, gt)
