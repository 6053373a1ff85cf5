import numpy as np
import torch
from scipy.spatial.transform import Rotation

from hoverse.geometry.rotations import geodesic_distance
from hoverse.geometry.symmetric_pose import (SymmetryBatch, nearest_angle_about_axis,
                                             nearest_symmetric_pose, rotation_about_axis)


def _rand_rot(n, seed):
    return torch.as_tensor(Rotation.random(n, random_state=seed).as_matrix(), dtype=torch.float64)


def _sym(disc=None, axis=None, offset=(0, 0, 0), full=False, center=(0, 0, 0)):
    d = torch.eye(4, dtype=torch.float64)[None] if disc is None else torch.as_tensor(disc)
    return SymmetryBatch(d[None, :, :3, :3], d[None, :, :3, 3],
                         torch.ones(1, d.shape[0], dtype=torch.bool),
                         torch.tensor([axis or [0, 0, 1.0]], dtype=torch.float64),
                         torch.tensor([offset], dtype=torch.float64),
                         torch.tensor([axis is not None]), torch.tensor([full]),
                         torch.tensor([center], dtype=torch.float64))


def test_nearest_angle_matches_brute_force():
    Rp, Rb = _rand_rot(5, 0), _rand_rot(5, 1)
    a = torch.nn.functional.normalize(torch.randn(5, 3, dtype=torch.float64), dim=-1)
    theta = nearest_angle_about_axis(Rp, Rb, a)
    grid = torch.linspace(-np.pi, np.pi, 3601, dtype=torch.float64)
    for b in range(5):
        C = rotation_about_axis(a[b].expand(len(grid), 3), grid)
        d = geodesic_distance(Rp[b].expand_as(C), Rb[b] @ C)
        best = geodesic_distance(Rp[b][None], (Rb[b] @ rotation_about_axis(a[b], theta[b]))[None])
        assert best.item() <= d.min().item() + 1e-6


def test_continuous_symmetry_leaves_only_the_axis_error():
    R_gt = _rand_rot(1, 2)
    spin = rotation_about_axis(torch.tensor([0, 0, 1.0], dtype=torch.float64),
                               torch.tensor(1.3, dtype=torch.float64))
    R_pred = R_gt @ spin  # same axis, other spin: a perfect prediction for a can
    R_star, t_star = nearest_symmetric_pose(R_pred, R_gt, torch.zeros(1, 3, dtype=torch.float64),
                                            _sym(axis=[0, 0, 1.0]))
    torch.testing.assert_close(R_star, R_pred)
    # a tilted prediction keeps exactly the angle between the two axes
    tilt = torch.as_tensor(Rotation.from_rotvec([0.2, 0, 0]).as_matrix())
    R_star, _ = nearest_symmetric_pose(tilt @ R_pred, R_gt, torch.zeros(1, 3, dtype=torch.float64),
                                       _sym(axis=[0, 0, 1.0]))
    a_gt = R_gt[0, :, 2]
    axis_angle = torch.arccos((tilt @ a_gt) @ a_gt).item()
    assert axis_angle > 0.05
    np.testing.assert_allclose(geodesic_distance(R_star, tilt @ R_pred).item(), axis_angle,
                               atol=1e-5)


def test_discrete_symmetry_picks_the_nearest_and_keeps_the_surface():
    half = np.eye(4)
    half[:3, :3] = Rotation.from_rotvec([np.pi, 0, 0]).as_matrix()
    half[:3, 3] = [0.0, 0.02, 0.0]  # a half-turn about an axis off the origin
    disc = np.stack([np.eye(4), half])
    R_gt, t_gt = _rand_rot(1, 3), torch.tensor([[0.01, -0.02, 0.3]], dtype=torch.float64)
    R_pred = R_gt @ torch.as_tensor(half[:3, :3])
    R_star, t_star = nearest_symmetric_pose(R_pred, R_gt, t_gt, _sym(disc=disc))
    torch.testing.assert_close(R_star, R_pred)
    # each model point lands where the ground truth puts its symmetric partner
    X = torch.randn(10, 3, dtype=torch.float64) * 0.05
    X_sym = X @ torch.as_tensor(half[:3, :3]).T + torch.as_tensor(half[:3, 3])
    posed = X @ R_gt[0].T + t_gt[0]
    posed_star = X @ R_star[0].T + t_star[0]
    # the posed point set is the same set (each point maps onto its symmetric partner)
    torch.testing.assert_close(posed_star, X_sym @ R_gt[0].T + t_gt[0])
    assert not torch.allclose(posed, posed_star)


def test_full_symmetry_takes_the_prediction_and_keeps_the_centre():
    R_gt, R_pred = _rand_rot(1, 4), _rand_rot(1, 5)
    c = torch.tensor([0.01, 0.0, 0.02], dtype=torch.float64)
    t_gt = torch.tensor([[0.0, 0.1, 0.4]], dtype=torch.float64)
    R_star, t_star = nearest_symmetric_pose(R_pred, R_gt, t_gt,
                                            _sym(axis=[0, 0, 1.0], full=True, center=c.tolist()))
    torch.testing.assert_close(R_star, R_pred)
    torch.testing.assert_close(R_star[0] @ c + t_star[0], R_gt[0] @ c + t_gt[0])


def test_no_symmetry_is_the_identity_assignment():
    R_gt, R_pred = _rand_rot(3, 6), _rand_rot(3, 7)
    t = torch.randn(3, 3, dtype=torch.float64)
    R_star, t_star = nearest_symmetric_pose(R_pred, R_gt, t,
                                            SymmetryBatch.none(3, dtype=torch.float64))
    torch.testing.assert_close(R_star, R_gt)
    torch.testing.assert_close(t_star, t)
