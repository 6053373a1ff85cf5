"""Object pose errors from the posed model points (numpy, metres in, metres out)."""
import numpy as np

from .mesh_errors import nearest_distances


def transform_points(points: np.ndarray, R: np.ndarray, t: np.ndarray) -> np.ndarray:
    """``points (N, 3)`` in the model frame posed by ``R (3, 3)``, ``t (3,)``."""
    return np.asarray(points, np.float64) @ np.asarray(R, np.float64).T + np.asarray(t)


def add_error(pred_pts: np.ndarray, gt_pts: np.ndarray) -> float:
    """ADD (Hinterstoisser et al. 2012): mean distance between corresponding posed model
    points ``(N, 3)``."""
    return float(np.linalg.norm(pred_pts - gt_pts, axis=-1).mean())


def adds_error(pred_pts: np.ndarray, gt_pts: np.ndarray) -> float:
    """ADD-S (closest-point distance, for symmetric objects; PoseCNN, Xiang et al. 2018):
    mean over ground-truth-posed points of the distance to the closest predicted point."""
    return float(nearest_distances(gt_pts, pred_pts).mean())


def center_error(pred_center: np.ndarray, gt_center: np.ndarray) -> float:
    """Distance between the predicted and true object centres ``(3,)``."""
    return float(np.linalg.norm(np.asarray(pred_center) - np.asarray(gt_center)))


def corner_error(pred_corners: np.ndarray, gt_corners: np.ndarray) -> float:
    """Mean distance between corresponding bounding-box corners ``(8, 3)``."""
    return float(np.linalg.norm(pred_corners - gt_corners, axis=-1).mean())
