import os

import numpy as np
import pytest
import torch
import trimesh

from hoverse.objects import exact_signed_distance, load_or_build_sdf_grid


def _near_surface(mesh, n=3000, spread=0.02, seed=0):
    rng = np.random.RandomState(seed)
    pts, _ = trimesh.sample.sample_surface(mesh, n, seed=seed)
    pts = pts + rng.uniform(-1, 1, size=pts.shape) * spread / np.sqrt(3)
    return pts


@pytest.mark.parametrize('mesh', [trimesh.creation.icosphere(3, radius=0.04),
                                  trimesh.creation.box(extents=(0.05, 0.07, 0.12))],
                         ids=['sphere', 'box'])
def test_grid_matches_exact_sdf_within_1mm_rms(mesh):
    grid, built = load_or_build_sdf_grid(mesh.vertices, mesh.faces, None)
    assert built
    pts = _near_surface(mesh)
    exact = exact_signed_distance(pts, mesh.vertices, mesh.faces)
    keep = np.abs(exact) < 0.02
    got = grid(torch.as_tensor(pts, dtype=torch.float32)).numpy()
    rms = np.sqrt(np.mean((got - exact)[keep]**2))
    assert rms < 1e-3, rms
    # signs agree away from the surface
    far = np.abs(exact) > 2e-3
    assert (np.sign(got[far]) == np.sign(exact[far])).all()


def test_gradient_points_outward():
    mesh = trimesh.creation.icosphere(3, radius=0.04)
    grid, _ = load_or_build_sdf_grid(mesh.vertices, mesh.faces, None)
    dirs = torch.nn.functional.normalize(torch.randn(200, 3), dim=-1)
    pts = (dirs * torch.empty(200, 1).uniform_(0.02, 0.06)).requires_grad_(True)
    grid(pts[None]).sum().backward()
    cos = (torch.nn.functional.normalize(pts.grad, dim=-1) * dirs).sum(-1)
    assert (cos > 0.9).all()


def test_outside_grid_is_positive_and_continuous():
    mesh = trimesh.creation.box(extents=(0.05, 0.05, 0.05))
    grid, _ = load_or_build_sdf_grid(mesh.vertices, mesh.faces, None)
    far = torch.tensor([[1.0, 0.0, 0.0], [0.0, -3.0, 2.0]])
    val = grid(far)
    assert (val > 0.5).all() and torch.isfinite(val).all()
    edge = grid.hi[0].item()
    inside_edge = grid(torch.tensor([[edge - 1e-6, 0.0, 0.0]]))
    outside_edge = grid(torch.tensor([[edge + 1e-6, 0.0, 0.0]]))
    assert abs(inside_edge - outside_edge) < 1e-4


def test_cache_reused_then_rebuilt_when_mesh_changes(tmp_path):
    mesh = trimesh.creation.box(extents=(0.05, 0.05, 0.05))
    path = str(tmp_path / 'box_sdf.npz')
    g1, built1 = load_or_build_sdf_grid(mesh.vertices, mesh.faces, path)
    mtime = os.path.getmtime(path)
    g2, built2 = load_or_build_sdf_grid(mesh.vertices, mesh.faces, path)
    assert built1 and not built2 and os.path.getmtime(path) == mtime
    torch.testing.assert_close(g1.grid, g2.grid)
    bigger = trimesh.creation.box(extents=(0.06, 0.05, 0.05))
    g3, built3 = load_or_build_sdf_grid(bigger.vertices, bigger.faces, path)
    assert built3 and not torch.equal(g3.grid, g1.grid)


def test_exact_distance_of_one_point_and_of_none():
    box = trimesh.creation.box(extents=(1.0, 1.0, 1.0))
    pts = np.array([[0.1, 0.2, 0.3], [0.0, 0.0, 0.9]])
    both = exact_signed_distance(pts, box.vertices, box.faces)
    np.testing.assert_allclose(both, [-0.2, 0.4], atol=1e-6)
    for i in range(2):  # alone, each point keeps its distance and its sign
        np.testing.assert_allclose(exact_signed_distance(pts[i:i + 1], box.vertices, box.faces),
                                   both[i:i + 1], atol=1e-9)
    assert exact_signed_distance(np.zeros((0, 3)), box.vertices, box.faces).shape == (0,)
    with pytest.raises(ValueError, match=r'points must be \(N, 3\), got \(3,\)'):
        exact_signed_distance(np.zeros(3), box.vertices, box.faces)
