import numpy as np
import pytest
import torch
from scipy.spatial.transform import Rotation

from hoverse.geometry.rotations import geodesic_distance
from hoverse.models.codecs import ObjectCoordinateMap, box_frame

K = torch.tensor([[[160.0, 0, 64], [0, 160.0, 64], [0, 0, 1]]])


def _plane(z: float, n: int = 81, half: float = 0.05) -> torch.Tensor:
    """``(n * n, 3)`` points on the square ``[-half, half]^2`` at model height ``z``."""
    s = torch.linspace(-half, half, n)
    gy, gx = torch.meshgrid(s, s, indexing='ij')
    return torch.stack([gx, gy, torch.full_like(gx, z)], -1).reshape(-1, 3)


def _box_surface(half=(0.05, 0.03, 0.02), n: int = 6000, seed: int = 0) -> torch.Tensor:
    """``(n, 3)`` points uniform over a box's surface (area-weighted faces)."""
    rng = np.random.default_rng(seed)
    h = np.asarray(half)
    pts = rng.uniform(-h, h, (n, 3))
    areas = np.array([h[1] * h[2], h[0] * h[2], h[0] * h[1]])
    axis = rng.choice(3, n, p=areas / areas.sum())
    pts[np.arange(n), axis] = np.where(rng.random(n) < 0.5, -1, 1) * h[axis]
    return torch.as_tensor(pts, dtype=torch.float32)


def _corners(half) -> torch.Tensor:
    h = torch.tensor(half)
    signs = torch.tensor([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)],
                         dtype=torch.float32)
    return (signs * h)[None]


def test_box_frame_known_values():
    corners = _corners((0.05, 0.03, 0.02)) + torch.tensor([0.01, 0.0, -0.02])
    centre, half = box_frame(corners)
    torch.testing.assert_close(centre, torch.tensor([[0.01, 0.0, -0.02]]))
    torch.testing.assert_close(half, torch.tensor([[0.05, 0.03, 0.02]]))


def test_a_plane_facing_the_camera_maps_its_coordinates_to_the_cells():
    codec = ObjectCoordinateMap(input_size=128, heatmap_size=16)
    pts = _plane(0.0)[None]
    corners = _corners((0.05, 0.05, 0.01))
    R, t = torch.eye(3)[None], torch.tensor([[0.0, 0.0, 0.4]])
    coords, weight, obj = codec.encode(pts, corners, R, t, K)
    assert coords.shape == (1, 3, 16, 16) and weight.shape == obj.shape == (1, 16, 16)
    torch.testing.assert_close(obj, weight)  # no mask: the object is where targets are
    # the plane spans 0.1 m at 0.4 m: pixels 44-84 at f=160, so cells 5-10 (of 8 px) each way
    assert weight.sum() == 36 and weight[0, 5:11, 5:11].all()
    # a cell's target is its centre's point on the plane, normalised by the box
    uv = codec.cell_centres().reshape(16, 16, 2)
    expected = (uv - 64) / 160 * 0.4 / 0.05  # x, y in [-1, 1]
    on = weight[0] > 0
    err = (coords[0, :2].permute(1, 2, 0)[on] - expected[on]).abs()
    assert err.max() < 0.15  # within about half a cell (0.2 in normalised units)
    assert coords[0, 2][on].abs().max() < 1e-6  # z = 0 of a box 0.01 deep


def test_the_nearer_surface_hides_the_one_behind():
    codec = ObjectCoordinateMap(input_size=128, heatmap_size=16)
    front, back = _plane(-0.02), _plane(0.02)  # model z: the camera looks along +z
    pts = torch.cat([front, back])[None]
    corners = _corners((0.05, 0.05, 0.02))
    coords, weight, _ = codec.encode(pts, corners, torch.eye(3)[None],
                                     torch.tensor([[0.0, 0.0, 0.4]]), K)
    on = weight[0] > 0
    assert on.sum() > 0
    torch.testing.assert_close(coords[0, 2][on], torch.full((int(on.sum()),), -1.0))
    # turned half-way round, the other face is the front one
    half = torch.diag(torch.tensor([1.0, -1.0, -1.0]))[None]
    coords, weight, _ = codec.encode(pts, corners, half, torch.tensor([[0.0, 0.0, 0.4]]), K)
    on = weight[0] > 0
    torch.testing.assert_close(coords[0, 2][on], torch.full((int(on.sum()),), 1.0))


def test_the_mask_keeps_only_object_cells():
    codec = ObjectCoordinateMap(input_size=128, heatmap_size=16)
    pts, corners = _plane(0.0)[None], _corners((0.05, 0.05, 0.01))
    R, t = torch.eye(3)[None], torch.tensor([[0.0, 0.0, 0.4]])
    mask = torch.full((1, 128, 128), 2)
    mask[:, :, :64] = 1  # the hand covers the left half
    coords, weight, obj = codec.encode(pts, corners, R, t, K, mask, 2)
    assert weight[0, :, :8].sum() == 0 and weight[0, :, 8:].sum() > 0
    assert obj[0, :, :8].sum() == 0 and obj[0, :, 8:].all()  # the mask's object, all of it
    with pytest.raises(ValueError, match='mask'):
        codec.encode(pts, corners, R, t, K, mask[0], 2)


@pytest.mark.parametrize('seed', [0, 1, 2])
def test_solving_the_encoded_map_returns_the_pose(seed):
    codec = ObjectCoordinateMap(input_size=128, heatmap_size=32)
    half = (0.05, 0.03, 0.02)
    pts, corners = _box_surface(half)[None], _corners(half)
    R = torch.as_tensor(Rotation.random(random_state=seed).as_matrix(), dtype=torch.float32)[None]
    t = torch.tensor([[0.01, -0.02, 0.35]])
    coords, weight, _ = codec.encode(pts, corners, R, t, K)
    logits = (weight * 20 - 10)[:, None]
    fallback = torch.eye(3)[None]
    R_hat, solved = codec.solve(coords, logits, corners, K, fallback)
    assert solved.tolist() == [True]
    assert float(geodesic_distance(R_hat, R)) < np.radians(5.0)
    # no cell called object: the fallback is kept
    R_none, solved = codec.solve(coords, torch.full_like(logits, -10.0), corners, K, fallback)
    assert solved.tolist() == [False] and torch.equal(R_none, fallback)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match='heatmap_size'):
        ObjectCoordinateMap(input_size=128, heatmap_size=256)
    with pytest.raises(ValueError, match='min_points'):
        ObjectCoordinateMap(min_points=3)
    codec = ObjectCoordinateMap(input_size=128, heatmap_size=16)
    with pytest.raises(ValueError, match='corners'):
        codec.encode(_plane(0.0)[None], _corners((0.05, 0.05, 0.01))[0], torch.eye(3)[None],
                     torch.zeros(1, 3), K)


def test_dense_samples_keep_the_far_face_out():
    """With too few samples some blocks hold no point of the near face, and the far face's
    coordinates stand in for it; the default sample count leaves none."""
    codec = ObjectCoordinateMap(input_size=128, heatmap_size=32)
    half = (0.05, 0.03, 0.02)
    R, t = torch.eye(3)[None], torch.tensor([[0.0, 0.0, 0.3]])  # the -z face towards the camera
    far = {}
    for n in (256, codec.num_samples):
        coords, weight, _ = codec.encode(_box_surface(half, n)[None], _corners(half), R, t, K)
        on = weight[0] > 0
        far[n] = int((coords[0, 2][on] > 0).sum())  # cells given the far (+z) half's points
    assert far[256] > 0 and far[codec.num_samples] == 0
