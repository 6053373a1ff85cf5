import numpy as np
import torch
import trimesh

from hoverse.models.losses import ContactLoss, SDFPenetrationLoss
from hoverse.objects import exact_signed_distance, load_or_build_sdf_grid


def _box_grid():
    box = trimesh.creation.box(extents=(0.06, 0.06, 0.06))
    return box, load_or_build_sdf_grid(box.vertices, box.faces, None)[0]


def _setup(offset):
    box, grid = _box_grid()
    hand = torch.tensor(np.random.RandomState(0).uniform(-0.02, 0.02, (1, 50, 3)),
                        dtype=torch.float32) + torch.tensor([offset, 0, 0])
    return box, grid, hand, torch.eye(3)[None], torch.zeros(1, 3)


def test_zero_for_hand_away_from_box():
    _, grid, hand, R, t = _setup(0.2)
    assert SDFPenetrationLoss()(hand, R, t, [grid]).item() == 0.0
    assert ContactLoss()(hand, R, t, [grid]).item() == 0.0


def test_positive_and_decreasing_when_moved_out_along_gradient():
    _, grid, hand, R, t = _setup(0.0)
    hand = hand.requires_grad_(True)
    loss = SDFPenetrationLoss(object_weight=0)(hand, R, t, [grid])
    assert loss.item() > 0
    loss.backward()
    moved = hand.detach() - 0.002 * hand.grad.sign()
    assert SDFPenetrationLoss(object_weight=0)(moved, R, t, [grid]).item() < loss.item()


def test_matches_brute_force_and_gradient_reaches_pose():
    box, grid, hand, R, t = _setup(0.01)
    t = t.requires_grad_(True)
    loss = SDFPenetrationLoss(object_weight=0)(hand, R, t, [grid])
    exact = exact_signed_distance(hand[0].numpy(), box.vertices, box.faces)
    assert abs(loss.item() - np.maximum(-exact, 0).mean()) < 5e-4
    loss.backward()
    assert t.grad.abs().sum() > 0


def test_batched_sdf_query_equals_each_grid_alone():
    import numpy as np

    from hoverse.geometry.mirror import mirror_points
    from hoverse.models.utils.physics import query_sdf
    from hoverse.objects.sdf import SDFGrid
    rng = np.random.default_rng(0)

    def grid(res, scale):
        return SDFGrid(rng.normal(size=(res, res, res)).astype(np.float32),
                       np.array([-scale] * 3), np.array([scale, scale * 0.5, scale]))

    a, b = grid(8, 0.05), grid(8, 0.08)
    pts = torch.as_tensor(rng.uniform(-0.1, 0.1, (3, 50, 3)), dtype=torch.float32)
    got = query_sdf([a, b, a], pts, mirrored=[False, False, True])
    expected = torch.stack([a(pts[0:1])[0], b(pts[1:2])[0], a(mirror_points(pts[2:3]))[0]])
    torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-6)
    c = grid(6, 0.05)  # another resolution: one lookup per grid
    torch.testing.assert_close(query_sdf([a, c], pts[:2]),
                               torch.stack([a(pts[0:1])[0], c(pts[1:2])[0]]))
