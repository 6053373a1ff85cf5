import numpy as np
import pytest

from hoverse.evaluation.functional import keypoint_error_stats


def test_perfect_predictions():
    s = keypoint_error_stats(np.zeros((5, 21)))
    assert s['mean'] == 0 and s['auc'] == pytest.approx(1.0)
    assert s['pck'].shape == (100,) and s['thresholds'][-1] == pytest.approx(0.05)


def test_auc_of_a_constant_error_at_half_the_range_is_one_half():
    # thresholds k * h, h = 0.05 / 99: the curve steps from 0 to 1 between k=49 and k=50,
    # so the trapezoid area is 49.5 h of 99 h
    s = keypoint_error_stats(np.full((4, 21), 0.025))
    assert s['auc'] == pytest.approx(0.5, abs=1e-12)
    assert s['mean'] == pytest.approx(0.025)


def test_mean_is_over_keypoints_of_per_keypoint_means():
    d = np.array([[0.0, 0.01], [0.02, 0.05]])
    s = keypoint_error_stats(d)
    assert s['mean'] == pytest.approx(0.02)
    assert s['median'] == pytest.approx(np.mean([0.01, 0.03]))
    # keypoint 1 has errors 0.01 and 0.05: PCK 1/2 from 0.01, 1 only at 0.05
    assert 0 < s['auc'] < 1


def test_errors_beyond_the_range_score_zero_and_bad_shapes_raise():
    assert keypoint_error_stats(np.full((2, 3), 0.2))['auc'] == 0
    with pytest.raises(ValueError, match='samples, points'):
        keypoint_error_stats(np.zeros(3))
