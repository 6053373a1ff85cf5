"""Each ablation (and the config it changes) builds, runs one training step and tests one
batch."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.dataset import pseudo_collate
from mmengine.optim import build_optim_wrapper

from hoverse.registry import DATASETS
from tests.conftest import REPO, build_synthetic_model_and_batch

# the method's ablations (on the synthetic set); a protocol ablation on HO3D's layout
# (hoverse_r18_ho3dv2_gt_box_crop) is run by docs/results.md's records instead
ABLATIONS = sorted(glob.glob(osp.join(REPO, 'configs', 'ablations', '*_synthetic*.py')))
CONFIGS = [osp.join(REPO, 'configs', 'hoverse', f'hoverse_{n}_synthetic.py')
           for n in ('r18', 'r50')] + [
    osp.join(REPO, 'configs', 'hoverse_plus', 'hoverse_plus_r18_synthetic.py')] + ABLATIONS


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.basename(p)[:-3])
def test_one_training_step(path, synthetic_root, mano_dir):
    model, batch, cfg = build_synthetic_model_and_batch(path, synthetic_root, mano_dir, num=2)
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    before = {k: v.clone() for k, v in model.named_parameters()}
    model.train()
    log = model.train_step(batch, optim)
    assert all(torch.isfinite(v) for v in log.values())
    name = osp.basename(path)
    if 'no_sdf' in name:
        assert 'loss_sdf' not in log
    elif 'no_contact_loss' in name:
        assert 'loss_contact' not in log
    else:
        assert 'loss_sdf' in log and 'loss_contact' in log
    # the paper's configs have none of our additions; the plus configs (and their
    # ablations) have them all
    plus = 'hoverse_plus' in name
    with_seg = plus and 'no_seg_head' not in name
    assert ('loss_seg' in log) == (model.seg_head is not None) == with_seg
    assert ('loss_articulation' in log) == plus and ('loss_obj_cls' in log) == plus
    assert model.mano_head.use_kpt_coords == model.object_head.use_kpt_coords == (
        plus and model.dbfam is not None)
    assert (model.dbfam is None) == ('no_dbfam' in name)
    if model.dbfam is not None:
        assert (model.dbfam.hand.topology is None) == ('no_topology' in name)
        assert (model.dbfam.contact is None) == ('no_contact_graph' in name)
    assert (model.object_head.assigner is None) == (not plus or 'no_symmetry' in name)
    assert (model.cfsm is None) == ('no_cfsm' in name)
    if model.cfsm is not None:
        assert model.cfsm.use_gate == ('cfsm_no_gate' not in name)
        assert model.cfsm.use_attention == ('cfsm_no_attention' not in name)
    assert model.backbone.shared_streams == ('single_stream' in name)
    changed = [k for k, v in model.named_parameters() if not torch.equal(v, before[k])]
    assert any(k.startswith('backbone.') for k in changed)
    assert any(k.startswith('mano_head.') for k in changed)
    # and tests one batch through the config's own test pipeline
    t = cfg.test_dataloader.dataset
    t.update(data_root=synthetic_root, mano_path=mano_dir)
    test_ds = DATASETS.build(t)
    model.eval()
    with torch.no_grad():
        out = model.test_step(pseudo_collate([test_ds[i] for i in range(2)]))
    assert len(out) == 2
    for s in out:
        p = s.pred_instances
        assert p.joints_cam.shape == (1, 21, 3) and p.obj_rot_cam.shape == (1, 3, 3)
        assert torch.isfinite(p.verts_cam).all()
        assert ('seg_mask' in p) == (model.seg_head is not None)
