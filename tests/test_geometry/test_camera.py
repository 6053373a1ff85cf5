import numpy as np
import torch

from hoverse.geometry import (apply_affine, backproject_points, crop_camera, get_crop_affine,
                              project_points)

from hoverse.geometry.camera import crop_points_to_image

K = np.array([[600.0, 0, 320], [0, 600.0, 240], [0, 0, 1]])


def test_crop_points_round_trip():
    M = get_crop_affine(np.array([120.0, 80.0]), 90.0, 25.0, (64, 64))
    pts = np.random.default_rng(0).uniform(0, 200, (21, 2))
    np.testing.assert_allclose(crop_points_to_image(apply_affine(pts, M), M), pts, atol=1e-9)


def test_projection_round_trip_numpy_and_torch():
    rng = np.random.RandomState(0)
    X = rng.uniform([-0.2, -0.2, 0.3], [0.2, 0.2, 1.0], size=(50, 3))
    uv = project_points(X, K)
    np.testing.assert_allclose(backproject_points(uv, X[:, 2], K), X, atol=1e-12)
    Xt = torch.tensor(X)
    torch.testing.assert_close(project_points(Xt, K), torch.tensor(uv))
    torch.testing.assert_close(backproject_points(project_points(Xt, K), Xt[:, 2], K), Xt)


def test_projection_known_value_and_no_inf_at_zero_depth():
    np.testing.assert_allclose(project_points(np.array([[0.1, -0.05, 0.5]]), K),
                               [[440.0, 180.0]])
    assert np.isfinite(project_points(np.zeros((1, 3)), K)).all()


def test_crop_camera_matches_affine_of_projection():
    rng = np.random.RandomState(1)
    X = rng.uniform([-0.1, -0.1, 0.4], [0.1, 0.1, 0.8], size=(30, 3))
    M = get_crop_affine((300.0, 250.0), 180.0, 25.0, (256, 256))
    K_crop, Rz = crop_camera(K, M)
    expected = apply_affine(project_points(X, K), M)
    got = project_points(X @ Rz.T, K_crop)
    np.testing.assert_allclose(got, expected, atol=1e-9)
    np.testing.assert_allclose(Rz @ Rz.T, np.eye(3), atol=1e-12)
    assert np.isclose(Rz[2, 2], 1.0)


def test_crop_affine_maps_center_to_crop_center():
    M = get_crop_affine((100.0, 50.0), 80.0, -30.0, (256, 256))
    np.testing.assert_allclose(apply_affine(np.array([[100.0, 50.0]]), M), [[128.0, 128.0]])


def test_crop_to_camera_undoes_the_crops_rotation_numpy_and_torch():
    from hoverse.geometry.camera import crop_rotation_to_camera, crop_to_camera
    from hoverse.geometry.rotations import axis_angle_to_matrix
    M = get_crop_affine(np.array([100.0, 80.0]), 120.0, 35.0, (64, 64))
    _, Rz = crop_camera(np.array([[500.0, 0, 160], [0, 500.0, 120], [0, 0, 1]]), M)
    rng = np.random.default_rng(0)
    X = rng.normal(0, 0.1, (5, 3)) + [0, 0, 0.5]
    R = axis_angle_to_matrix(torch.tensor([[0.3, -1.0, 0.5]]))[0].double().numpy()
    X_crop, R_crop = X @ Rz.T, Rz @ R  # what TopDownAffine does to a sample
    np.testing.assert_allclose(crop_to_camera(X_crop, Rz), X, atol=1e-12)
    np.testing.assert_allclose(crop_rotation_to_camera(R_crop, Rz), R, atol=1e-12)
    t = crop_to_camera(torch.as_tensor(X_crop, dtype=torch.float32), Rz.astype(np.float32))
    assert isinstance(t, torch.Tensor)
    np.testing.assert_allclose(t.numpy(), X, atol=1e-6)
    Rt = crop_rotation_to_camera(torch.as_tensor(R_crop[None]), torch.as_tensor(Rz))
    np.testing.assert_allclose(Rt[0].numpy(), R, atol=1e-12)
