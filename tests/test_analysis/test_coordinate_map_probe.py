import math
from types import SimpleNamespace

import pytest
import torch
from scipy.spatial.transform import Rotation

from hoverse.analysis.coordinate_map_probe import probe_batch, probe_outputs, summarise_probe
from hoverse.models.heads import ObjectPoseHead


def _outputs(head, t, shift=0.0):
    """Head outputs whose coordinate branch predicts exactly the true map (or one shifted
    by ``shift``)."""
    coords, weight, _ = head.coord_codec.encode(
        t['templates']['dense_samples'], t['obj_corners_rest'], t['obj_rot'],
        t['obj_trans_rel'] + t['root_cam'], t['cam_K'], t['mask'], 2)
    return dict(rot=torch.eye(3).expand(len(coords), 3, 3), trans_rel=t['obj_trans_rel'],
                coords=(coords + shift).clamp(-1, 1), coord_mask_logits=(weight * 20 - 10)[:, None])


def _targets(objects_dir, names):
    from hoverse.objects import TemplateBank
    bank = TemplateBank(objects_dir, 256, 8192)
    tb = bank.batch(names, torch.device('cpu'))
    B = len(names)
    R = torch.as_tensor(Rotation.random(B, random_state=0).as_matrix(), dtype=torch.float32)
    K = torch.tensor([[300.0, 0, 64], [0, 300.0, 64], [0, 0, 1]]).expand(B, 3, 3)
    return dict(obj_rot=R, obj_trans_rel=torch.zeros(B, 3), obj_corners_rest=tb['corners'],
                root_cam=torch.tensor([0.0, 0.0, 0.5]).expand(B, 3), cam_K=K,
                input_size=128.0, templates=tb, mask=torch.full((B, 128, 128), 2))


def _head():
    return ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16, use_kpt_feats=False,
                          coord_map=dict(type='ObjectCoordinateMap', input_size=128,
                                         heatmap_size=32))


def test_an_exact_map_scores_zero_and_its_pose(objects_dir):
    names = ['box', 'mug', 'ball']
    head, t = _head(), _targets(objects_dir, names)
    rows = probe_outputs(head, _outputs(head, t), t, names)
    assert [r['name'] for r in rows] == names
    for r in rows[:2]:
        assert r['map_l1'] < 1e-6
        assert 0 < r['mask_iou'] <= 1  # visible cells with a target / the mask's object cells
        assert r['rot_pred'] < 5 and r['rot_true_mask'] < 5 and r['rot_true_map'] < 5
    assert math.isnan(rows[2]['rot_pred'])  # a ball's rotation is not scored
    shifted = probe_outputs(head, _outputs(head, t, 0.2), t, names)
    assert shifted[0]['map_l1'] > 0.1
    assert shifted[0]['rot_true_map'] == pytest.approx(rows[0]['rot_true_map'], abs=1e-3)


def test_a_model_without_a_coordinate_branch_is_refused(objects_dir):
    head = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16)
    with pytest.raises(ValueError, match='coord_map'):
        probe_batch(SimpleNamespace(object_head=head), dict(inputs=None, data_samples=[]))


def test_summary_medians_per_object_leave_nans_out():
    rows = [dict(name='box', map_l1=0.1, mask_iou=0.5, rot_pred=10.0, rot_true_mask=5.0,
                 rot_true_map=1.0),
            dict(name='box', map_l1=0.3, mask_iou=0.7, rot_pred=30.0, rot_true_mask=7.0,
                 rot_true_map=1.0),
            dict(name='ball', map_l1=0.2, mask_iou=0.9, rot_pred=float('nan'),
                 rot_true_mask=float('nan'), rot_true_map=float('nan'))]
    out = summarise_probe(rows)
    assert out['box']['count'] == 2 and out['box']['map_l1'] == pytest.approx(0.2)
    assert math.isnan(out['ball']['rot_pred'])
    assert out['all']['count'] == 3 and out['all']['rot_pred'] == pytest.approx(20.0)
    assert out['all']['mask_iou'] == pytest.approx(0.7)
