import math

import torch

from hoverse.geometry import (axis_angle_to_matrix, geodesic_distance, matrix_to_axis_angle,
                              matrix_to_quaternion, matrix_to_rot6d, quaternion_to_matrix,
                              rot6d_to_matrix)


def _random_rotvecs(n=64):
    g = torch.Generator().manual_seed(0)
    axis = torch.nn.functional.normalize(torch.randn(n, 3, generator=g, dtype=torch.float64),
                                         dim=-1)
    return axis * torch.rand(n, 1, generator=g, dtype=torch.float64) * (math.pi - 1e-3)


def test_axis_angle_round_trip():
    rv = _random_rotvecs()
    torch.testing.assert_close(matrix_to_axis_angle(axis_angle_to_matrix(rv)), rv)


def test_rot6d_round_trip_and_orthonormal_from_noise():
    R = axis_angle_to_matrix(_random_rotvecs())
    torch.testing.assert_close(rot6d_to_matrix(matrix_to_rot6d(R)), R)
    noisy = rot6d_to_matrix(torch.randn(10, 6, dtype=torch.float64))
    torch.testing.assert_close(noisy @ noisy.transpose(-1, -2),
                               torch.eye(3, dtype=torch.float64).expand(10, 3, 3))
    assert torch.allclose(torch.det(noisy), torch.ones(10, dtype=torch.float64))


def test_rot6d_degenerate_input_is_finite():
    assert torch.isfinite(rot6d_to_matrix(torch.zeros(2, 6))).all()
    same = torch.tensor([[1.0, 0, 0, 1.0, 0, 0]])
    assert torch.isfinite(rot6d_to_matrix(same)).all()


def test_quaternion_round_trip_and_known_value():
    R = axis_angle_to_matrix(_random_rotvecs())
    torch.testing.assert_close(quaternion_to_matrix(matrix_to_quaternion(R)), R)
    q = torch.tensor([0.0, 0.0, math.sin(math.pi / 4), math.cos(math.pi / 4)])  # 90 deg about z
    torch.testing.assert_close(quaternion_to_matrix(q) @ torch.tensor([1.0, 0, 0]),
                               torch.tensor([0.0, 1.0, 0.0]))


def test_geodesic_distance_known_angle():
    R1 = axis_angle_to_matrix(torch.tensor([0.0, 0.0, 0.3]))
    R2 = axis_angle_to_matrix(torch.tensor([0.0, 0.0, 1.0]))
    assert abs(geodesic_distance(R1, R2).item() - 0.7) < 1e-4


def test_nearest_rotation_projects_onto_so3():
    from hoverse.geometry.rotations import axis_angle_to_matrix, nearest_rotation
    R = axis_angle_to_matrix(torch.tensor([[0.3, -0.2, 1.0]], dtype=torch.float64))
    torch.testing.assert_close(nearest_rotation(R), R)
    noisy = nearest_rotation(0.5 * R + 0.05 * torch.ones(1, 3, 3, dtype=torch.float64))
    torch.testing.assert_close(noisy @ noisy.transpose(1, 2),
                               torch.eye(3, dtype=torch.float64)[None])
    assert torch.linalg.det(noisy).item() > 0


def test_turn_axis_onto_keeps_the_spin_and_takes_the_axis():
    from scipy.spatial.transform import Rotation

    from hoverse.geometry.rotations import geodesic_distance, turn_axis_onto
    axis = torch.tensor([0.0, 0.0, 1.0], dtype=torch.float64)
    base = torch.as_tensor(Rotation.random(random_state=5).as_matrix(), dtype=torch.float64)
    spin = torch.as_tensor(Rotation.from_rotvec([0.0, 0.0, 0.7]).as_matrix())
    tilt = torch.as_tensor(Rotation.from_rotvec([0.4, -0.2, 0.0]).as_matrix())
    # R is base, tilted off its axis and spun about it; the target is base's axis
    R = base @ tilt @ spin
    out = turn_axis_onto(R, axis, base @ axis)
    torch.testing.assert_close(out @ axis, base @ axis)
    # what is left against base is the spin about the axis alone, by 0.7 rad
    rel = base.T @ out
    torch.testing.assert_close(rel @ axis, axis)
    assert abs(float(geodesic_distance(base, out)) - 0.7) < 0.05
    # the smallest turn: nothing else sends the axis there closer to R
    other = out @ torch.as_tensor(Rotation.from_rotvec([0.0, 0.0, 0.3]).as_matrix())
    assert geodesic_distance(out, R) < geodesic_distance(other, R)
    # already aligned: unchanged; opposite: a half turn at right angles, onto the target
    torch.testing.assert_close(turn_axis_onto(R, axis, R @ axis), R)
    flipped = turn_axis_onto(R, axis, -(R @ axis))
    torch.testing.assert_close(flipped @ axis, -(R @ axis))
    torch.testing.assert_close(flipped @ flipped.T, torch.eye(3, dtype=torch.float64))
    assert torch.linalg.det(flipped).item() > 0
    assert abs(float(geodesic_distance(flipped, R)) - math.pi) < 1e-2  # a half turn
    Rs = torch.stack([R, base])
    assert turn_axis_onto(Rs, axis.expand(2, 3), (base @ axis).expand(2, 3)).shape == (2, 3, 3)
