import numpy as np
import pytest
import torch

from hoverse.evaluation.metrics import InteractionMetric, ObjectPoseMetric
from hoverse.objects import ObjectLibrary


def _t(a):
    return torch.as_tensor(np.asarray(a, np.float32))[None]


def _sample(lib, name, R_pred, t_pred, t_gt, hand_verts):
    obj = lib[name]
    root = np.array([0.0, 0, 0.5])
    return dict(obj_name=name, cam_rot=np.eye(3),
                gt_instances=dict(obj_rot=_t(np.eye(3)), obj_trans_rel=_t(t_gt - root),
                                  root_cam=_t(root), obj_corners_rest=_t(obj.corners),
                                  orig_obj_rot=_t(np.eye(3)), orig_obj_trans=_t(t_gt)),
                pred_instances=dict(obj_rot_cam=_t(R_pred), obj_trans_cam=_t(t_pred),
                                    verts_cam=_t(hand_verts)))


def test_object_metric_known_shift(objects_dir):
    lib = ObjectLibrary(objects_dir)
    name = lib.names[0]
    t = np.array([0.0, 0, 0.6])
    m = ObjectPoseMetric(models_root=objects_dir)
    m.process(None, [_sample(lib, name, np.eye(3), t + [0.01, 0, 0], t, np.zeros((778, 3)))])
    out = m.compute_metrics(m.results)
    for k in ('center_error', 'corner_error', 'add'):
        assert out[k] == pytest.approx(10.0, abs=1e-3)
    assert out['adds'] <= out['add'] and out['chamfer'] <= out['add']
    expect = 100.0 if 10.0 < 0.1 * lib[name].diameter * 1000 else 0.0
    assert out['add_acc'] == expect


def test_interaction_metric_inside_and_away(objects_dir, mano_dir, mano_layer):
    lib = ObjectLibrary(objects_dir)
    name = 'box' if 'box' in lib else lib.names[0]
    t = np.array([0.0, 0, 0.6])
    rest = mano_layer(torch.zeros(1, 3), torch.zeros(1, 45))['verts'][0].numpy()
    inside = rest - rest.mean(0) + t  # the hand's centre at the object's origin
    away = inside + [1.0, 0, 0]
    m = InteractionMetric(models_root=objects_dir, mano_path=mano_dir)
    m.process(None, [_sample(lib, name, np.eye(3), t, t, inside)])
    hit = m.compute_metrics(m.results)
    m.results.clear()
    m.process(None, [_sample(lib, name, np.eye(3), t, t, away)])
    miss = m.compute_metrics(m.results)
    assert hit['penetration_depth'] > 1 and hit['intersection_volume'] > 0
    assert hit['contact_ratio'] == 100
    assert miss == dict(penetration_depth=0.0, intersection_volume=0.0, contact_ratio=0.0)


def test_mirrored_objects_are_mirrored(tmp_path, mano_dir, mano_layer):
    """A left-hand sample's object is the template reflected across x = 0."""
    import trimesh
    box = trimesh.creation.box((0.04, 0.04, 0.04))
    box.apply_translation([0.05, 0, 0])  # off-centre: its mirror image lies at x < 0
    (tmp_path / 'offbox').mkdir()
    box.export(tmp_path / 'offbox' / 'textured_simple.obj')
    lib = ObjectLibrary(str(tmp_path))
    t = np.array([0.0, 0, 0.6])
    rest = mano_layer(torch.zeros(1, 3), torch.zeros(1, 45))['verts'][0].numpy()
    hand = (rest - rest.mean(0)) * 0.1 + t + [-0.05, 0, 0]  # a small hand in the mirror box
    m = InteractionMetric(models_root=str(tmp_path), mano_path=mano_dir)
    sample = _sample(lib, 'offbox', np.eye(3), t, t, hand)
    m.process(None, [sample])
    plain = m.compute_metrics(m.results)
    m.results.clear()
    m.process(None, [dict(sample, obj_mirrored=True)])
    mirrored = m.compute_metrics(m.results)
    assert plain['penetration_depth'] == 0 and plain['contact_ratio'] == 0
    assert mirrored['penetration_depth'] > 5 and mirrored['intersection_volume'] >= 0
    o = ObjectPoseMetric(models_root=str(tmp_path))
    o.process(None, [dict(sample, obj_mirrored=True)])
    assert o.compute_metrics(o.results)['add'] == pytest.approx(0, abs=1e-3)


def test_simulation_option_reports_displacement(objects_dir, mano_dir, mano_layer):
    pytest.importorskip('pybullet')
    lib = ObjectLibrary(objects_dir)
    name = 'box' if 'box' in lib else lib.names[0]
    t = np.array([0.0, 0, 0.6])
    rest = mano_layer(torch.zeros(1, 3), torch.zeros(1, 45))['verts'][0].numpy()
    away = rest - rest.mean(0) + t + [1.0, 0, 0]  # nothing holds the object: it falls
    m = InteractionMetric(models_root=objects_dir, mano_path=mano_dir, simulate=True)
    m.process(None, [_sample(lib, name, np.eye(3), t, t, away)])
    out = m.compute_metrics(m.results)
    # ObMan's 35 steps of 1/240 s: 104-107 mm of free fall; the 1 s variant: 0.5 g t^2
    assert 104 <= out['sim_displacement'] <= 107.2
    assert out['sim_displacement_1s'] == pytest.approx(0.5 * 9.81 * 1000, rel=0.08)
    only = InteractionMetric(models_root=objects_dir, mano_path=mano_dir,
                             simulate=['sim_displacement'])
    only.process(None, [_sample(lib, name, np.eye(3), t, t, away)])
    assert 'sim_displacement_1s' not in only.compute_metrics(only.results)
    with pytest.raises(ValueError, match="unknown protocol.*'sim_5s'"):
        InteractionMetric(models_root=objects_dir, mano_path=mano_dir, simulate=['sim_5s'])


def _posed_sample(lib, name, R_gt, R_pred, t_pred_offset, K):
    root = np.array([0.0, 0, 0.5])
    t = np.array([0.01, 0.02, 0.1])
    return dict(obj_name=name, cam_rot=np.eye(3), orig_cam_K=K,
                gt_instances=dict(obj_rot=_t(R_gt), obj_trans_rel=_t(t), root_cam=_t(root),
                                  obj_corners_rest=_t(lib[name].corners),
                                  orig_obj_rot=_t(R_gt), orig_obj_trans=_t(t + root)),
                pred_instances=dict(obj_rot_cam=_t(R_pred),
                                    obj_trans_cam=_t(t + root + t_pred_offset)))


@pytest.mark.parametrize('name', ['can', 'bowl', 'box', 'ball'])
def test_symmetry_aware_errors(name, objects_dir):
    from scipy.spatial.transform import Rotation

    from hoverse.objects.object_symmetry import axis_angle_matrix
    lib = ObjectLibrary(objects_dir)
    sym = lib[name].symmetry
    K = np.array([[500.0, 0, 320], [0, 500.0, 240], [0, 0, 1]])
    R_gt = Rotation.random(random_state=3).as_matrix()
    S = np.eye(3)
    if len(sym.discrete) > 1:
        S = sym.discrete[1][:3, :3]
    if len(sym.axes):
        S = S @ axis_angle_matrix(sym.axes[0], 0.9)
    if not sym.is_symmetric:
        S = axis_angle_matrix([1.0, 0, 0], np.pi)  # a half turn: a real error here
    m = ObjectPoseMetric(models_root=objects_dir)
    m.process(None, [_posed_sample(lib, name, R_gt, R_gt @ S, np.zeros(3), K)])
    out = m.compute_metrics(m.results)
    if sym.fully_symmetric:
        assert 'rot_error' not in out  # unobservable: left out
        assert out['mssd'] < 0.5  # within BOP's sampling of the two axes
    elif sym.is_symmetric:
        assert out['rot_error'] == pytest.approx(0, abs=0.05)
        assert out['mssd'] < 0.5 and out['mspd'] < 0.5  # a symmetric pose is no error
        assert out['add_s_auto'] == pytest.approx(out['adds'])
        assert out['add'] > 5  # plain ADD counts the symmetric pose as wrong
    else:
        assert out['rot_error'] == pytest.approx(180, abs=0.05)
        assert out['mssd'] > 10 and out['add_s_auto'] == pytest.approx(out['add'])


def test_mssd_and_mspd_known_shift(objects_dir):
    lib = ObjectLibrary(objects_dir)
    K = np.array([[500.0, 0, 320], [0, 500.0, 240], [0, 0, 1]])
    m = ObjectPoseMetric(models_root=objects_dir)
    m.process(None, [_posed_sample(lib, 'box', np.eye(3), np.eye(3), np.array([0.004, 0, 0]),
                                   K)])
    out = m.compute_metrics(m.results)
    assert out['mssd'] == pytest.approx(4.0, abs=1e-3)  # mm, every point moved by 4 mm
    assert out['rot_error'] == pytest.approx(0, abs=1e-3)
    # 4 mm sideways at depths 0.54-0.66 m through f = 500 px: 3.0-3.7 px, largest nearest
    assert 3.0 < out['mspd'] < 3.8


def test_mssd_is_taken_over_bops_sampled_symmetries(objects_dir):
    """A can turned about its axis half-way between two of BOP's samples (2 pi / 315
    apart): MSSD is how far its furthest vertex from the axis moves through pi / 315, as
    bop_toolkit computes it; the exact equivalent pose is not a candidate."""
    from hoverse.objects.object_symmetry import axis_angle_matrix
    lib = ObjectLibrary(objects_dir)
    can = lib['can']
    a, o = can.symmetry.axes[0], can.symmetry.offsets[0]
    rel = can.vertices - o
    r_max = np.linalg.norm(rel - np.outer(rel @ a, a), axis=1).max()
    K = np.array([[500.0, 0, 320], [0, 500.0, 240], [0, 0, 1]])
    turn = axis_angle_matrix(a, np.pi / 315)
    m = ObjectPoseMetric(models_root=objects_dir)
    # a turn about the axis through o: R_pred = R_gt C, t_pred = t_gt + R_gt (o - C o)
    sample = _posed_sample(lib, 'can', np.eye(3), turn, o - turn @ o, K)
    m.process(None, [sample])
    out = m.compute_metrics(m.results)
    expected = 2 * r_max * np.sin(np.pi / 630) * 1000
    assert expected > 0.3
    assert out['mssd'] == pytest.approx(expected, rel=1e-3)
    assert out['rot_error'] == pytest.approx(0, abs=1e-3)  # the exact symmetric error


def test_per_object_breakdown_is_logged(objects_dir, capsys):
    from mmengine.logging import MMLogger
    MMLogger.get_instance('hoverse_test_breakdown')
    lib = ObjectLibrary(objects_dir)
    K = np.eye(3)
    K[:2, :2] *= 500
    m = ObjectPoseMetric(models_root=objects_dir)
    m.process(None, [_posed_sample(lib, n, np.eye(3), np.eye(3), np.zeros(3), K)
                     for n in ('box', 'mug')])
    m.compute_metrics(m.results)
    out = capsys.readouterr()
    text = out.out + out.err
    assert 'object errors by object' in text and 'box' in text and 'mug' in text


def test_rotation_error_shares(objects_dir):
    """Known errors of 5, 15, 30 and 170 degrees about one axis of an asymmetric object."""
    from hoverse.objects.object_symmetry import axis_angle_matrix
    lib = ObjectLibrary(objects_dir)
    name = next(n for n in lib.names if not lib[n].symmetry.is_symmetric)
    K = np.array([[500.0, 0, 320], [0, 500.0, 240], [0, 0, 1]])
    m = ObjectPoseMetric(models_root=objects_dir)
    m.process(None, [_posed_sample(lib, name, np.eye(3),
                                   axis_angle_matrix([0.0, 0, 1], np.radians(a)), np.zeros(3),
                                   K) for a in (5, 15, 30, 170)])
    out = m.compute_metrics(m.results)
    assert out['rot_error_median'] == pytest.approx(22.5, abs=1e-3)
    assert out['rot_acc_10'] == pytest.approx(25.0)
    assert out['rot_acc_20'] == pytest.approx(50.0)
    assert out['rot_flip'] == pytest.approx(25.0)
    m = ObjectPoseMetric(models_root=objects_dir, rot_thresholds=(2.5,), flip_threshold=160)
    m.process(None, [_posed_sample(lib, name, np.eye(3),
                                   axis_angle_matrix([0.0, 0, 1], np.radians(a)), np.zeros(3),
                                   K) for a in (0.0, 3.0)])
    out = m.compute_metrics(m.results)
    assert out['rot_acc_2.5'] == pytest.approx(50.0) and out['rot_flip'] == 0.0
    assert 'rot_acc_20' not in out
    with pytest.raises(ValueError, match='degrees'):
        ObjectPoseMetric(rot_thresholds=(0.3, 200))


def test_rotation_error_split_about_the_long_axis(objects_dir):
    """A spin about the template's longest side is twist; a turn about another axis, swing."""
    from hoverse.objects.object_symmetry import axis_angle_matrix
    lib = ObjectLibrary(objects_dir)
    name = next(n for n in lib.names if not lib[n].symmetry.is_symmetric)
    long_axis = np.eye(3)[int(np.argmax(np.ptp(lib[name].corners, axis=0)))]
    across = np.cross(long_axis, [1.0, 1.0, 1.0])
    K = np.array([[500.0, 0, 320], [0, 500.0, 240], [0, 0, 1]])
    m = ObjectPoseMetric(models_root=objects_dir)
    m.process(None, [_posed_sample(lib, name, np.eye(3), axis_angle_matrix(axis, np.radians(a)),
                                   np.zeros(3), K)
                     for axis, a in ((long_axis, 30), (long_axis, 40), (across, 12))])
    out = m.compute_metrics(m.results)
    assert out['rot_twist_median'] == pytest.approx(30.0, abs=1e-3)
    assert out['rot_swing_median'] == pytest.approx(0.0, abs=1e-3)
    sym = next(n for n in lib.names if lib[n].symmetry.fully_symmetric)
    m = ObjectPoseMetric(models_root=objects_dir)
    m.process(None, [_posed_sample(lib, sym, np.eye(3), np.eye(3), np.zeros(3), K)])
    assert 'rot_twist_median' not in m.compute_metrics(m.results)


def test_object_keypoint_errors_in_2d(objects_dir):
    """Centre and corner errors of D-BFAM's object keypoints; corners drawn halfway towards
    the centre show as a spread of 0.5; a symmetric object gets no corner error."""
    lib = ObjectLibrary(objects_dir)
    t = np.array([0.0, 0, 0.6])
    rng = np.random.default_rng(0)
    true = rng.uniform(20, 100, (9, 2))
    true[8] = true[:8].mean(0)
    shrunk = true.copy()
    shrunk[:8] = true[8] + 0.5 * (true[:8] - true[8])
    shrunk += [3.0, 4.0]  # and the whole set 5 px off
    m = ObjectPoseMetric(models_root=objects_dir)
    for name in ('box', 'can'):
        s = _sample(lib, name, np.eye(3), t, t, np.zeros((778, 3)))
        s['gt_instances']['obj_kpts_2d'] = _t(true)
        s['pred_instances']['obj_kpts_2d'] = _t(shrunk)
        m.process(None, [s])
    box, can = m.results
    assert box['kpt2d_center'] == pytest.approx(5.0, abs=1e-4)
    assert box['kpt2d_corner_spread'] == pytest.approx(0.5, abs=1e-4)
    expect = np.linalg.norm(shrunk[:8] - true[:8], axis=1).mean()
    assert box['kpt2d_corner'] == pytest.approx(expect, abs=1e-4)
    assert 'kpt2d_corner' not in can and can['kpt2d_center'] == pytest.approx(5.0, abs=1e-4)
    out = m.compute_metrics(m.results)
    assert out['kpt2d_center_error'] == pytest.approx(5.0, abs=1e-4)
    assert out['kpt2d_corner_error'] == pytest.approx(expect, abs=1e-4)
    assert out['kpt2d_corner_spread'] == pytest.approx(0.5, abs=1e-4)
    m.results.clear()  # without predicted keypoints nothing is reported
    m.process(None, [_sample(lib, 'box', np.eye(3), t, t, np.zeros((778, 3)))])
    assert not any(k.startswith('kpt2d') for k in m.compute_metrics(m.results))


def test_median_rotation_error_of_the_asymmetric_objects(objects_dir):
    """``rot_error_median_asym`` pools the objects without any symmetry and leaves out the
    errors of an object with a continuous symmetry, which ``rot_error_median`` counts."""
    from hoverse.objects.object_symmetry import axis_angle_matrix
    lib = ObjectLibrary(objects_dir)
    asym = [n for n in lib.names if not lib[n].symmetry.is_symmetric][:2]
    cont = next(n for n in lib.names if len(lib[n].symmetry.axes)
                and not lib[n].symmetry.fully_symmetric)
    K = np.array([[500.0, 0, 320], [0, 500.0, 240], [0, 0, 1]])
    tilt = np.cross(lib[cont].symmetry.axes[0], [1.0, 2.0, 3.0])
    samples = [_posed_sample(lib, asym[0], np.eye(3),
                             axis_angle_matrix([0.0, 0, 1], np.radians(a)), np.zeros(3), K)
               for a in (10, 40)]
    samples.append(_posed_sample(lib, asym[1], np.eye(3),
                                 axis_angle_matrix([1.0, 0, 0], np.radians(20)), np.zeros(3), K))
    samples += [_posed_sample(lib, cont, np.eye(3), axis_angle_matrix(tilt, np.radians(a)),
                              np.zeros(3), K) for a in (1, 2, 3)]
    m = ObjectPoseMetric(models_root=objects_dir)
    m.process(None, samples)
    out = m.compute_metrics(m.results)
    assert out['rot_error_median_asym'] == pytest.approx(20.0, abs=1e-3)
    assert out['rot_error_median'] == pytest.approx(6.5, abs=1e-2)  # all six: 1, 2, 3, 10, 20, 40
    m = ObjectPoseMetric(models_root=objects_dir)
    m.process(None, samples[3:])
    assert 'rot_error_median_asym' not in m.compute_metrics(m.results)
