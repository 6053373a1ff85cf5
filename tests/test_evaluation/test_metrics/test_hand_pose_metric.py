import numpy as np
import pytest
import torch

from hoverse.evaluation.metrics import HandPoseMetric, read_dexycb_results
from hoverse.hand_models.joint_orders import DEXYCB_FROM_CANONICAL


def _sample(idx, gt_joints, pred_joints, gt_verts, pred_verts, is_left=False, rz=None):
    """A data sample as the evaluator hands it over: crop-frame ground truth (rotated by
    ``rz``) beside the camera-frame one, which the metric scores."""
    rz = np.eye(3) if rz is None else rz
    root = gt_joints[0]
    t = lambda a: torch.as_tensor(np.asarray(a, np.float32))[None]  # noqa: E731
    return dict(
        sample_idx=idx, is_left=is_left, cam_rot=rz,
        gt_instances=dict(joints_3d=t((gt_joints - root) @ rz.T), root_cam=t(root @ rz.T),
                          joints_valid=t([1.0]), verts_3d=t((gt_verts - root) @ rz.T),
                          orig_joints_cam=t(gt_joints), orig_verts_cam=t(gt_verts)),
        pred_instances=dict(joints_cam=t(pred_joints), verts_cam=t(pred_verts)))


@pytest.fixture
def hand():
    rng = np.random.default_rng(0)
    j = rng.normal(0, 0.04, (21, 3)) + [0, 0, 0.6]
    v = rng.normal(0, 0.04, (778, 3)) + [0, 0, 0.6]
    return j, v


def test_known_values(hand):
    j, v = hand
    shift = np.array([0.0, 0.02, 0.0])
    Rz = np.array([[0.0, -1, 0], [1, 0, 0], [0, 0, 1]])  # a crop rotated by 90 degrees
    m = HandPoseMetric()
    m.process(None, [_sample(0, j, j + shift, v, v + shift, rz=Rz), _sample(1, j, j, v, v)])
    out = m.compute_metrics(m.results)
    assert out['mpjpe'] == pytest.approx(10.0, abs=1e-4)  # 20 mm on one of two samples
    assert out['mpvpe'] == pytest.approx(10.0, abs=1e-4)
    for k in ('rr_mpjpe', 'st_mpjpe', 'pa_mpjpe', 'rr_mpvpe', 'pa_mpvpe'):
        assert out[k] == pytest.approx(0.0, abs=1e-3), k
    assert out['pa_f5'] == pytest.approx(1.0) and 0 < out['f5'] < 1
    assert 0 < out['mpjpe_auc'] < out['pa_mpjpe_auc'] <= 1
    assert 'kpt2d_error' not in out  # no 2D joints predicted: nothing to report


def test_2d_joint_error_in_crop_pixels(hand, capsys):
    from mmengine.logging import MMLogger
    MMLogger.get_instance('hoverse_test_2d_joints')  # a logger writing to this test's stdout
    j, v = hand
    kpts = np.random.default_rng(1).uniform(0, 128, (21, 2))
    t = lambda a: torch.as_tensor(np.asarray(a, np.float32))[None]  # noqa: E731
    samples = [_sample(i, j, j, v, v) for i in range(2)]
    for s, off in zip(samples, ([3.0, 4.0], [0.0, 0.0])):  # 5 px on one sample, 0 on the other
        s['gt_instances']['keypoints_2d'] = t(kpts)
        s['pred_instances']['hand_kpts_2d'] = t(kpts + off)
    samples[1]['pred_instances']['hand_kpts_2d'][0, 16:] += 10.0  # tips 14.1 px off
    m = HandPoseMetric()
    m.process(None, samples)
    out = m.compute_metrics(m.results)
    assert out['kpt2d_error'] == pytest.approx(2.5 + 5 / 21 * 200**0.5 / 2, abs=1e-4)
    text = ''.join(capsys.readouterr())
    assert 'wrist 2.5, MCP 2.5, PIP 2.5, DIP 2.5, tip 9.6' in text


def test_dexycb_result_file(tmp_path, hand):
    j, v = hand
    m = HandPoseMetric(result_format='dexycb', outfile_prefix=str(tmp_path), format_only=True)
    m.process(None, [_sample(7, j, j, v, v, is_left=True), _sample(3, j, j * 2, v, v)])
    assert m.compute_metrics(m.results) == {}
    res = read_dexycb_results(str(tmp_path / 'dexycb_hpe_results.txt'))
    assert list(res) == [3, 7]  # dataset order
    np.testing.assert_allclose(res[3], (j * 2)[list(DEXYCB_FROM_CANONICAL)] * 1000, atol=1e-3)
    # left hands were mirrored when loaded: the file has them back in the camera's frame
    np.testing.assert_allclose(res[7], (j * [-1, 1, 1])[list(DEXYCB_FROM_CANONICAL)] * 1000,
                               atol=1e-3)


def test_bad_options():
    with pytest.raises(ValueError, match='result_format'):
        HandPoseMetric(result_format='coco')
    with pytest.raises(ValueError, match='format_only'):
        HandPoseMetric(format_only=True)


def test_a_dataset_describing_other_joints_is_named(hand):
    j, v = hand
    m = HandPoseMetric()
    m.dataset_meta = dict(dataset_name='mine', num_joints=16)
    m.process(None, [_sample(0, j, j, v, v)])
    with pytest.raises(ValueError, match="21 joints but the dataset describes 16 .mine"):
        m.compute_metrics(m.results)
