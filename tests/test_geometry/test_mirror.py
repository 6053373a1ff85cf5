import numpy as np
import torch
from scipy.spatial.transform import Rotation

from hoverse.geometry.camera import project_points
from hoverse.geometry.mirror import (MIRROR, mirror_axis_angle, mirror_box, mirror_camera,
                                     mirror_faces, mirror_image, mirror_pixels_affine,
                                     mirror_points, mirror_points_where, mirror_rotation,
                                     mirror_transform)

rng = np.random.default_rng(0)


def test_points_rotations_and_axis_angle_agree_with_the_matrix():
    x = rng.normal(size=(5, 3))
    np.testing.assert_allclose(mirror_points(x), x @ MIRROR)
    R = Rotation.random(4, random_state=1).as_matrix()
    np.testing.assert_allclose(mirror_rotation(R), MIRROR @ R @ MIRROR)
    rv = Rotation.from_matrix(R).as_rotvec()
    np.testing.assert_allclose(Rotation.from_rotvec(mirror_axis_angle(rv)).as_matrix(),
                               MIRROR @ R @ MIRROR, atol=1e-12)
    # the same on tensors, and each map is its own inverse
    t = torch.as_tensor(R)
    torch.testing.assert_close(mirror_rotation(mirror_rotation(t)), t)
    torch.testing.assert_close(mirror_points(torch.as_tensor(x)), torch.as_tensor(x @ MIRROR))
    T = np.eye(4)
    T[:3, :3], T[:3, 3] = R[0], [0.1, 0.2, 0.3]
    M = mirror_transform(T)
    np.testing.assert_allclose(M[:3, :3], MIRROR @ R[0] @ MIRROR)
    np.testing.assert_allclose(M[:3, 3], [-0.1, 0.2, 0.3])


def test_batch_mirrors_only_the_flagged_samples():
    x = torch.randn(3, 4, 3)
    out = mirror_points_where(x, [True, False, True])
    torch.testing.assert_close(out[1], x[1])
    torch.testing.assert_close(out[[0, 2], ..., 0], -x[[0, 2], ..., 0])


def test_flipped_image_shows_the_mirrored_world_to_the_mirrored_camera():
    K = np.array([[500.0, 0, 300.5], [0, 500.0, 200.0], [0, 0, 1]])
    W = 640
    X = rng.uniform([-0.2, -0.2, 0.4], [0.2, 0.2, 0.9], (10, 3))
    uv = project_points(X, K)
    uv_m = project_points(mirror_points(X), mirror_camera(K, W))
    np.testing.assert_allclose(uv_m[:, 0], W - 1 - uv[:, 0])
    np.testing.assert_allclose(uv_m[:, 1], uv[:, 1])
    A = mirror_pixels_affine(W)
    np.testing.assert_allclose((np.c_[uv, np.ones(10)] @ A.T)[:, :2], uv_m)
    box = np.array([10.0, 20.0, 50.0, 80.0])
    np.testing.assert_allclose(mirror_box(box, W), [W - 1 - 50, 20, W - 1 - 10, 80])
    img = rng.integers(0, 255, (4, 6, 3), dtype=np.uint8)
    assert (mirror_image(img)[:, 0] == img[:, -1]).all()


def test_mirrored_mesh_keeps_outward_normals_with_reversed_faces():
    import trimesh
    box = trimesh.creation.box()
    mirrored = trimesh.Trimesh(mirror_points(box.vertices), mirror_faces(box.faces),
                               process=False)
    assert box.volume > 0 and mirrored.volume > 0
