import numpy as np
import pytest
import trimesh

from hoverse.evaluation.functional import (in_contact, intersection_volume, penetration_depth,
                                           signed_distance)


def _cube(side, centre=(0, 0, 0)):
    m = trimesh.creation.box((side, side, side))
    return np.asarray(m.vertices) + centre, np.asarray(m.faces)


def test_cube_inside_cube():
    hv, hf = _cube(0.02)  # the "hand": a 2 cm cube inside a 4 cm "object" cube
    ov, of = _cube(0.04)
    # 2 mm voxels split the 2 cm cube into exactly 10^3 voxels: 8 cm^3
    assert intersection_volume(hv, hf, ov, of, voxel_size=0.002) == pytest.approx(8.0)
    # the hand's corners are 1 cm from the object's faces
    assert penetration_depth(hv, ov, of) == pytest.approx(0.01, abs=1e-9)
    assert in_contact(hv, ov, of)


def test_disjoint_and_touching_meshes():
    hv, hf = _cube(0.02, (0.1, 0, 0))
    ov, of = _cube(0.04)
    assert intersection_volume(hv, hf, ov, of) == 0
    assert penetration_depth(hv, ov, of) == 0
    assert not in_contact(hv, ov, of, threshold=0.005)
    near, _ = _cube(0.02, (0.033, 0, 0))  # 3 mm from the object's face
    assert in_contact(near, ov, of, threshold=0.005)
    assert not in_contact(near, ov, of, threshold=0.002)


def test_partial_overlap_volume():
    hv, hf = _cube(0.02, (0.02, 0, 0))  # half of it (1 x 2 x 2 cm) inside
    ov, of = _cube(0.04)
    assert intersection_volume(hv, hf, ov, of, voxel_size=0.001) == pytest.approx(4.0, rel=0.05)


def test_signed_distance_is_exact_for_a_box():
    """A 10 cm box: depths and distances known in closed form, to 1e-6 m (the library's own
    distance is 0.04 mm off at 6 cm outside)."""
    ov, of = _cube(0.1)
    pts = np.array([[0, 0, 0.025], [0, 0, 0], [0.03, -0.01, 0.02], [0.11, 0, 0],
                    [0.08, 0.09, 0], [0.06, 0.07, 0.08]])
    expected = np.array([-0.025, -0.05, -0.02, 0.06, np.hypot(0.03, 0.04),
                         np.linalg.norm([0.01, 0.02, 0.03])])
    np.testing.assert_allclose(signed_distance(pts, ov, of), expected, atol=1e-6)
    hand = np.array([[0, 0, 0.0249], [0.2, 0, 0]])
    assert penetration_depth(hand, ov, of) == pytest.approx(0.05 - 0.0249, abs=1e-6)


def test_signed_distance_is_exact_for_a_sphere():
    """An icosphere (r = 5 cm, convex): outside on a vertex's ray the distance is rho - r;
    inside it is the smallest distance to a face plane."""
    m = trimesh.creation.icosphere(subdivisions=3, radius=0.05)
    v, f = np.asarray(m.vertices), np.asarray(m.faces)
    dirs = v[[0, 7, 100]] / 0.05
    out = dirs * np.array([[0.06], [0.08], [0.051]])
    np.testing.assert_allclose(signed_distance(out, v, f), [0.01, 0.03, 0.001], atol=1e-6)
    rng = np.random.default_rng(0)
    inside = rng.normal(size=(50, 3))
    inside *= (rng.uniform(0.0, 0.045, 50) / np.linalg.norm(inside, axis=1))[:, None]
    normals = np.asarray(m.face_normals)
    offsets = np.einsum('fd,fd->f', normals, v[f[:, 0]])
    expected = -(offsets[None] - inside @ normals.T).min(1)
    np.testing.assert_allclose(signed_distance(inside, v, f), expected, atol=1e-6)
    assert penetration_depth(inside, v, f) == pytest.approx(-expected.min(), abs=1e-6)


def test_voxel_size_limits_what_the_volume_sees():
    """Two 4 cm cubes overlapping by a 2 mm slab (3.2 cm^3): ObMan's 5 mm voxels count
    nothing, 1 mm voxels count it exactly; deeper overlaps come in 5 mm steps."""
    ov, of = _cube(0.04)
    thin, tf = _cube(0.04, (0.038, 0, 0))
    assert intersection_volume(thin, tf, ov, of, voxel_size=0.005) == 0
    assert intersection_volume(thin, tf, ov, of, voxel_size=0.001) == pytest.approx(3.2)
    deep, df = _cube(0.04, (0.034, 0, 0))  # 6 mm: 9.6 cm^3
    assert intersection_volume(deep, df, ov, of, voxel_size=0.005) == pytest.approx(8.0)
    assert intersection_volume(deep, df, ov, of, voxel_size=0.001) == pytest.approx(9.6)


def test_a_single_voxel_inside_both_is_counted():
    """A 4 mm object holds exactly one 5 mm voxel centre, inside the hand: the signed
    distance of that one point keeps its sign (the lookup squeezes a single point)."""
    ov, of = _cube(0.004)
    hv, hf = _cube(0.04)
    assert intersection_volume(hv, hf, ov, of, voxel_size=0.005) == pytest.approx(0.125)
    away, af = _cube(0.04, (0.0205, 0, 0))  # the centre (0.5 mm, ...) just outside it
    assert intersection_volume(away, af, ov, of, voxel_size=0.005) == 0
