import numpy as np
import pytest

from hoverse.analysis.baselines import compute_baselines, fit_baselines, score_baselines
from tests.conftest import AnnotationSet


def _info(joints, R, name='box'):
    return dict(joints_cam=joints + [0, 0, 0.5], root_cam=joints[0] + [0, 0, 0.5], obj_rot=R,
                obj_name=name)


def test_a_constant_set_scores_zero_and_an_offset_scores_it():
    rng = np.random.default_rng(0)
    j = rng.normal(0, 0.03, (21, 3))
    j -= j[0]
    train = AnnotationSet([_info(j, np.eye(3))] * 4)
    out = score_baselines(fit_baselines(train), train)
    assert out['baseline/hand_rr_mpjpe'] == pytest.approx(0, abs=1e-9)
    assert out['baseline/hand_pa_mpjpe'] == pytest.approx(0, abs=1e-6)
    assert out['baseline/object_rot_error'] == pytest.approx(0, abs=1e-3)
    assert out['baseline/object_rot_acc_20'] == 100.0
    # a test set whose hands are 2x larger and whose objects turned 90 degrees
    Rz = np.array([[0, -1.0, 0], [1, 0, 0], [0, 0, 1]])
    test = AnnotationSet([_info(2 * j, Rz)])
    out = score_baselines(fit_baselines(train), test)
    expect = np.linalg.norm(j, axis=1).mean() * 1000
    assert out['baseline/hand_rr_mpjpe'] == pytest.approx(expect, rel=1e-6)
    assert out['baseline/hand_pa_mpjpe'] == pytest.approx(0, abs=1e-6)  # scale is aligned
    assert out['baseline/object_rot_error'] == pytest.approx(90, abs=1e-3)
    # without a library every object counts as asymmetric
    assert out['baseline/object_rot_error_median_asym'] == pytest.approx(90, abs=1e-3)


def test_mean_rotation_is_a_rotation_and_symmetries_apply(objects_dir):
    from hoverse.objects import ObjectLibrary
    Rz = np.array([[0, -1.0, 0], [1, 0, 0], [0, 0, 1]])  # a spin about the can's axis
    j = np.zeros((21, 3))
    j[1:] = 0.05
    fit = fit_baselines(AnnotationSet([_info(j, np.eye(3), 'can'), _info(j, np.eye(3), 'can')]))
    R = fit['mean_rot']['can']
    np.testing.assert_allclose(R @ R.T, np.eye(3), atol=1e-12)
    out = score_baselines(fit, AnnotationSet([_info(j, Rz, 'can')]), ObjectLibrary(objects_dir))
    assert out['baseline/object_rot_error'] == pytest.approx(0, abs=0.05)
    assert 'baseline/object_rot_error_median_asym' not in out  # the can is symmetric


def test_on_the_synthetic_set(synthetic_root, mano_dir):
    from hoverse.datasets import SyntheticHODataset
    train = SyntheticHODataset(synthetic_root, split='train', ann_file='train.txt',
                               mano_path=mano_dir)
    val = SyntheticHODataset(synthetic_root, split='train', ann_file='val.txt',
                             mano_path=mano_dir)
    out = compute_baselines(train, val, f'{synthetic_root}/models')
    assert set(out) == {'baseline/hand_rr_mpjpe', 'baseline/hand_pa_mpjpe',
                        'baseline/hand_rr_mpjpe_mean_joints', 'baseline/object_rot_error',
                        'baseline/object_rot_error_median', 'baseline/object_rot_acc_20',
                        'baseline/object_rot_error_median_asym'}
    assert all(np.isfinite(v) and v > 0 for k, v in out.items() if 'acc' not in k)
    assert 0 <= out['baseline/object_rot_acc_20'] <= 100
    # the mean MANO pose keeps a hand's shape; averaged joints shrink it (worse after PA)
    joints_only = score_baselines(fit_baselines(train, None), val)
    assert out['baseline/hand_pa_mpjpe'] < joints_only['baseline/hand_pa_mpjpe']
    assert joints_only['baseline/hand_rr_mpjpe'] == pytest.approx(
        out['baseline/hand_rr_mpjpe_mean_joints'])


def test_mean_hand_submission_sits_at_each_evaluation_root(tmp_path, mano_dir):
    """HO3D's evaluation split hides the hand but gives its root: the baseline's
    submission is the mean hand there, in HO3D's joint order and OpenGL frame."""
    from hoverse.analysis.baselines import write_mean_hand_submission
    from hoverse.datasets import HO3Dv2Dataset
    from hoverse.evaluation.metrics.result_writers import read_ho3d_submission
    from hoverse.geometry.camera import CV_TO_GL
    from hoverse.hand_models.joint_orders import HO3D_FROM_CANONICAL
    from hoverse.testing import write_ho3d_fixture
    root = str(tmp_path / 'ho3d')
    fixture = write_ho3d_fixture(root, mano_dir)
    train = HO3Dv2Dataset(root, split='train', mano_path=mano_dir, pipeline=[])
    test = HO3Dv2Dataset(root, split='evaluation', mano_path=mano_dir, pipeline=[],
                         test_mode=True)
    fit = fit_baselines(train, mano_dir)
    assert fit['mean_verts'].shape == (778, 3)
    xyz, verts = read_ho3d_submission(write_mean_hand_submission(fit, test, str(tmp_path))[1])
    assert xyz.shape == (2, 21, 3) and verts.shape == (2, 778, 3)
    for i, sid in enumerate(fixture['lists']['evaluation']):
        gl_root = np.asarray(fixture['joints_gl'][sid])[0]
        np.testing.assert_allclose(xyz[i][0], gl_root, atol=1e-6)
        expect = fit['mean_joints'][list(HO3D_FROM_CANONICAL)] @ CV_TO_GL.T
        np.testing.assert_allclose(xyz[i] - xyz[i][0], expect - expect[0], atol=1e-6)
    with pytest.raises(ValueError, match='MANO'):
        write_mean_hand_submission(dict(fit, mean_verts=None), test, str(tmp_path))
