"""Alignments used by the hand benchmarks before measuring errors (numpy, any unit)."""
import numpy as np

from hoverse.geometry.procrustes import similarity_procrustes


def align_root(pred: np.ndarray, gt: np.ndarray, root: int = 0) -> np.ndarray:
    """Translate ``pred (N, 3)`` so its ``root`` point lands on ``gt``'s (root-relative)."""
    return pred - pred[root] + gt[root]


def align_scale_translation(pred: np.ndarray, gt: np.ndarray, root: int = 0,
                            ref: int = 4) -> np.ndarray:
    """HO3D's scale-translation alignment of keypoints ``(21, 3)``.

    Scale ``pred`` so its ``root``-``ref`` bone (wrist to middle MCP in HO3D's and
    hoverse's joint order) is as long as ``gt``'s, then translate its root onto ``gt``'s.
    A zero-length predicted bone leaves the scale unchanged.
    """
    pred = np.asarray(pred, np.float64)
    s_pred = np.linalg.norm(pred[ref] - pred[root])
    s_gt = np.linalg.norm(gt[ref] - gt[root])
    scaled = pred * (s_gt / s_pred) if s_pred > 0 else pred * s_gt
    return scaled - scaled[root] + gt[root]


def align_procrustes(pred: np.ndarray, gt: np.ndarray, allow_reflection: bool = True
                     ) -> np.ndarray:
    """Similarity (scale, rotation, translation) alignment of ``pred (N, 3)`` onto ``gt``.

    ``allow_reflection=True`` is what the HO3D, Dex-YCB and FreiHAND evaluation code
    computes (an orthogonal, not necessarily proper, Procrustes rotation).
    """
    s, R, t = similarity_procrustes(pred, gt, allow_reflection=allow_reflection)
    return s * np.asarray(pred, np.float64) @ R.T + t
