import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from hoverse.evaluation.functional import (add_error, adds_error, chamfer_distance, f_score,
                                           transform_points)


@pytest.fixture
def cloud():
    return np.random.default_rng(1).uniform(-0.05, 0.05, (300, 3))


def test_f_score_identical_disjoint_and_partial(cloud):
    assert f_score(cloud, cloud, 0.005)[0] == pytest.approx(1.0)
    assert f_score(cloud + 1.0, cloud, 0.005) == (0.0, 0.0, 0.0)
    far = cloud.copy()
    far[:150] += 1.0  # half the prediction is far: precision 1/2, recall < 1
    f, p, r = f_score(far, cloud, 0.001)
    assert p == pytest.approx(0.5) and f == pytest.approx(2 * p * r / (p + r))


def test_chamfer_known_offset():
    a = np.array([[0.0, 0, 0]])
    assert chamfer_distance(a, a + [0.003, 0.004, 0]) == pytest.approx(0.005)


def test_add_and_adds_on_a_symmetric_object():
    # points on a sphere: a rotation about its centre changes ADD but barely ADD-S
    rng = np.random.default_rng(2)
    pts = rng.normal(size=(2000, 3))
    pts = 0.05 * pts / np.linalg.norm(pts, axis=1, keepdims=True)
    R = Rotation.from_euler('z', 90, degrees=True).as_matrix()
    gt = transform_points(pts, np.eye(3), np.zeros(3))
    pred = transform_points(pts, R, np.zeros(3))
    assert add_error(pred, gt) > 0.05
    assert adds_error(pred, gt) < 0.005
    assert add_error(gt + [0.01, 0, 0], gt) == pytest.approx(0.01)


def _rotvec_deg(v):
    return Rotation.from_rotvec(np.radians(v)).as_matrix()


@pytest.mark.parametrize('seed', [0, 3])
def test_swing_twist_split_the_rotation_error_about_an_axis(seed):
    from hoverse.evaluation.functional import swing_twist_errors
    G = Rotation.random(random_state=seed).as_matrix()
    z = np.array([0.0, 0.0, 2.0])  # any length
    # a spin about the axis only, a tilt of it only, then both (the spin applied first)
    spin, tilt = G @ _rotvec_deg([0, 0, 30]), G @ _rotvec_deg([20, 0, 0])
    assert swing_twist_errors(spin, G, z) == pytest.approx((0, 30), abs=1e-4)
    assert swing_twist_errors(tilt, G, z) == pytest.approx((20, 0), abs=1e-4)
    both = G @ _rotvec_deg([0, -20, 0]) @ _rotvec_deg([0, 0, -50])
    assert swing_twist_errors(both, G, z) == pytest.approx((20, 50), abs=1e-4)
    # a spin of 170 degrees stays one; a reversed axis has no twist
    assert swing_twist_errors(G @ _rotvec_deg([0, 0, 170]), G, z)[1] == pytest.approx(170)
    swing, twist = swing_twist_errors(G @ _rotvec_deg([180, 0, 0]), G, z)
    assert swing == pytest.approx(180) and np.isnan(twist)
