import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from hoverse.evaluation.functional import (align_procrustes, align_root,
                                           align_scale_translation, point_distances)


@pytest.fixture
def joints():
    return np.random.default_rng(0).normal(0, 0.05, (21, 3))


def test_pure_translation_vanishes_after_root_alignment(joints):
    pred = joints + np.array([0.1, -0.2, 0.3])
    assert point_distances(pred, joints).mean() == pytest.approx(np.linalg.norm([.1, .2, .3]))
    np.testing.assert_allclose(align_root(pred, joints), joints, atol=1e-12)


def test_pure_scaling_vanishes_after_scale_translation_alignment(joints):
    pred = joints * 1.7 + 0.05
    np.testing.assert_allclose(align_scale_translation(pred, joints), joints, atol=1e-12)
    np.testing.assert_allclose(align_procrustes(pred, joints), joints, atol=1e-12)
    # the scale comes from the wrist -> middle MCP bone (index 4) only
    other = pred.copy()
    other[10] += 1.0
    np.testing.assert_allclose(align_scale_translation(other, joints)[4], joints[4],
                               atol=1e-12)


def test_rotation_needs_procrustes(joints):
    R = Rotation.from_euler('xyz', [30, -50, 80], degrees=True).as_matrix()
    pred = 0.8 * joints @ R.T + 0.2
    np.testing.assert_allclose(align_procrustes(pred, joints), joints, atol=1e-10)
    assert point_distances(align_scale_translation(pred, joints), joints).mean() > 0.01


def test_reflection_is_allowed_as_the_official_code_does(joints):
    pred = joints * np.array([-1.0, 1.0, 1.0])  # a mirror image
    np.testing.assert_allclose(align_procrustes(pred, joints), joints, atol=1e-10)
    proper = align_procrustes(pred, joints, allow_reflection=False)
    assert point_distances(proper, joints).mean() > 1e-3
