import numpy as np
import pytest
import trimesh

from hoverse.evaluation.functional import (in_contact, intersection_volume, penetration_depth,
                                           simulation_displacement)


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


def test_simulation_object_on_a_support_stays_and_a_free_one_falls(tmp_path):
    pytest.importorskip('pybullet')
    ov, of = _cube(0.04)
    support_v, support_f = _cube(0.2, (0, 0.1 + 0.02, 0))  # just below (+y is down)
    held = simulation_displacement(support_v, support_f, ov, of, seconds=0.5,
                                   workdir=str(tmp_path))
    far_v, far_f = _cube(0.02, (1.0, 0, 0))
    free = simulation_displacement(far_v, far_f, ov, of, seconds=0.5, workdir=str(tmp_path))
    assert held < 0.01
    assert free == pytest.approx(0.5 * 9.81 * 0.5**2, rel=0.1)
