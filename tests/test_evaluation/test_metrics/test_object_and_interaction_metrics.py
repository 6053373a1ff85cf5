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
                                  root_cam=_t(root), obj_corners_rest=_t(obj.corners)),
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
    m = InteractionMetric(models_root=objects_dir, mano_path=mano_dir, simulate=True,
                          sim_seconds=0.5)
    m.process(None, [_sample(lib, name, np.eye(3), t, t, away)])
    out = m.compute_metrics(m.results)
    assert out['sim_displacement'] == pytest.approx(0.5 * 9.81 * 0.25 * 1000, rel=0.1)
