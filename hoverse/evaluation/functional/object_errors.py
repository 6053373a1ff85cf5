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


def nearest_symmetry_transform(R_pred: np.ndarray, R_gt: np.ndarray, symmetry,
                               center: np.ndarray = np.zeros(3), mirrored: bool = False
                               ) -> np.ndarray:
    """The symmetry ``S (4, 4)`` (model frame) of the object (an
    :class:`~hoverse.objects.object_symmetry.ObjectSymmetry` with its centre ``(3,)``) that brings
    ``R_gt S`` nearest ``R_pred``: the best of the discrete set, continuous axes solved in
    closed form; for a fully symmetric object the rotation about its centre onto
    ``R_pred``."""
    import torch

    from hoverse.geometry.rotations import nearest_rotation
    from hoverse.geometry.symmetric_pose import (nearest_symmetric_pose, stack_symmetries,
                                                 symmetry_tensors)
    sym = stack_symmetries([symmetry_tensors(symmetry, center)], [mirrored])
    Rp = torch.as_tensor(np.asarray(R_pred), dtype=torch.float32)[None]
    Rg = torch.as_tensor(np.asarray(R_gt), dtype=torch.float32)[None]
    R_star, t_star = nearest_symmetric_pose(Rp, Rg, torch.zeros(1, 3), sym)
    S = np.eye(4)
    Rg64 = np.asarray(R_gt, np.float64)
    # float32 round-off back onto SO(3)
    S[:3, :3] = nearest_rotation(torch.as_tensor(Rg64.T @ R_star[0].double().numpy())).numpy()
    S[:3, 3] = Rg64.T @ t_star[0].double().numpy()
    return S


def symmetric_rotation_error(R_pred: np.ndarray, R_gt: np.ndarray, symmetry,
                             mirrored: bool = False) -> float:
    """Rotation error in degrees up to the object's symmetries (an
    :class:`~hoverse.objects.object_symmetry.ObjectSymmetry`): the geodesic angle to the nearest
    symmetric equivalent of ``R_gt`` (discrete: min over the set; continuous: the angle
    between the axes). NaN for a fully symmetric object, whose rotation is unobservable."""
    if symmetry.fully_symmetric:
        return float('nan')
    S = nearest_symmetry_transform(R_pred, R_gt, symmetry, mirrored=mirrored)
    R = np.asarray(R_gt, np.float64) @ S[:3, :3]
    cos = (np.trace(np.asarray(R_pred, np.float64).T @ R) - 1) / 2
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def symmetry_transforms(symmetry, mirrored: bool = False, max_sym_disc_step: float = 0.01
                        ) -> np.ndarray:
    """The object's symmetries as BOP's evaluation samples them, ``(N, 4, 4)`` model-frame
    transforms (:meth:`~hoverse.objects.object_symmetry.ObjectSymmetry.bop_transforms`),
    mirrored for a left hand's object."""
    from hoverse.geometry.mirror import mirror_transform
    T = symmetry.bop_transforms(max_sym_disc_step)
    return mirror_transform(T) if mirrored else T


def mssd_mspd(points: np.ndarray, R_pred: np.ndarray, t_pred: np.ndarray, R_gt: np.ndarray,
              t_gt: np.ndarray, transforms: np.ndarray, K: np.ndarray):
    """BOP's Maximum Symmetry-aware Surface Distance (metres) and Maximum Symmetry-aware
    Projection Distance (pixels through ``K (3, 3)``) (Hodan et al., BOP 2020): over the
    symmetries ``S`` in ``transforms (N, 4, 4)``, the smallest of the largest distances
    between ``points (P, 3)`` posed by the prediction and by ``(R_gt, t_gt) o S``."""
    pts = np.asarray(points, np.float64)
    pred = pts @ np.asarray(R_pred).T + t_pred  # (P, 3)
    sym_pts = pts[None] @ transforms[:, :3, :3].transpose(0, 2, 1) + transforms[:, None, :3, 3]
    gt = sym_pts @ np.asarray(R_gt).T + t_gt  # (N, P, 3)
    mssd = np.linalg.norm(gt - pred[None], axis=-1).max(1).min()

    def proj(x):
        uvw = x @ np.asarray(K, np.float64).T
        return uvw[..., :2] / np.maximum(uvw[..., 2:3], 1e-6)
    mspd = np.linalg.norm(proj(gt) - proj(pred)[None], axis=-1).max(1).min()
    return float(mssd), float(mspd)


def swing_twist_errors(R_pred: np.ndarray, R_gt: np.ndarray, axis: np.ndarray
                       ) -> tuple:
    """The rotation error split about a model-frame ``axis (3,)`` (e.g. an elongated
    object's long axis), in degrees: ``(swing, twist)``. ``swing`` is the angle between
    where ``R_pred`` and ``R_gt`` put the axis (0-180: a reversed axis is 180); ``twist``
    is the turn about the axis left over once it is aligned (the swing-twist decomposition
    of ``R_gt^T R_pred``, in [0, 180]; NaN when the axis is reversed, where no twist is
    defined). A pose right but for its spin about the axis has swing 0; one right but for
    the axis' direction, twist 0."""
    a = np.asarray(axis, np.float64)
    a = a / np.linalg.norm(a)
    Rp, Rg = np.asarray(R_pred, np.float64), np.asarray(R_gt, np.float64)
    swing = np.degrees(np.arccos(np.clip((Rp @ a) @ (Rg @ a), -1.0, 1.0)))
    from scipy.spatial.transform import Rotation
    x, y, z, w = Rotation.from_matrix(Rg.T @ Rp).as_quat()
    along = abs(float(np.dot([x, y, z], a)))
    if along ** 2 + w ** 2 < 1e-10:  # a half turn about an axis perpendicular to ``axis``
        return float(swing), float('nan')
    return float(swing), float(np.degrees(2.0 * np.arctan2(along, abs(w))))
