"""The plugin example of docs/extending.md: a hand head in its own package, outside hoverse/,
registered through custom_imports and trained / tested by hoverse's tools unchanged."""
import os.path as osp
import sys

import pytest
import torch

from hoverse.testing.samples import crop_camera, make_samples
from tests.conftest import REPO, run_tool, synthetic_cfg_options, tiny_schedule

PROJECT = osp.join(REPO, 'projects', 'mesh_refine_head')
CONFIG = 'projects/mesh_refine_head/configs/hoverse_plus_r18_synthetic_meshrefine.py'


@pytest.fixture(scope='module')
def plugin():
    sys.path.insert(0, PROJECT)
    try:
        import mesh_refine_head
        yield mesh_refine_head
    finally:
        sys.path.remove(PROJECT)


def test_untrained_refinement_returns_the_mano_mesh_and_learns(plugin, mano_dir):
    head = plugin.MeshRefineHead(dict(type='MANOLayer', model_path=mano_dir), in_channels=16,
                                 kpt_channels=8, hidden=32, refine_channels=16)
    assert len(plugin.mesh_refine_head.mesh_edges(head.mano.faces)) > 2000
    torch.manual_seed(0)
    feats = {'hand': torch.randn(2, 16, 8, 8), 'hand_kpt_feats': torch.randn(2, 21, 8),
             'hand_kpts': torch.rand(2, 21, 2) * 128, 'input_size': 128.0}
    samples = make_samples(2, crop_camera(128.0, focal=200.0))
    out = head(feats, samples)
    torch.testing.assert_close(out['verts'], out['coarse_verts'], atol=1e-6, rtol=0)
    torch.testing.assert_close(out['joints'][:, 0], torch.zeros(2, 3))
    out['verts'].sum().backward()
    assert head.offset.weight.grad.abs().sum() > 0  # the refinement is trained


def test_plugin_config_trains_and_tests_through_the_tools(tmp_path, synthetic_root, mano_dir):
    from hoverse.engine import safe_load_checkpoint
    opts = synthetic_cfg_options(synthetic_root, mano_dir)
    env = {'PYTHONPATH': PROJECT}  # the plugin's own folder, outside hoverse/
    work = tmp_path / 'work'
    run_tool(['tools/train.py', CONFIG, '--work-dir', str(work), '--cfg-options', *opts,
              *tiny_schedule(2)], env=env, timeout=600)
    log = open(next(work.glob('*/*.log'))).read()
    assert 'loss_coarse' in log and 'loss_joints' in log
    ckpt = safe_load_checkpoint(str(work / 'iter_2.pth'), map_location='cpu')
    assert any(k.startswith('mano_head.gcn.') for k in ckpt['state_dict'])
    run_tool(['tools/test.py', CONFIG, str(work / 'iter_2.pth'), '--work-dir',
              str(tmp_path / 'test'), '--cfg-options', *opts], env=env, timeout=600)
    assert (tmp_path / 'test').is_dir()


def test_print_config_lists_the_plugins_loss_terms():
    proc = run_tool(['tools/misc/print_config.py', CONFIG, '--losses-only'],
                    env={'PYTHONPATH': PROJECT})
    assert 'model.mano_head.loss_coarse' in proc.stdout
    assert 'model.mano_head.loss_joints' in proc.stdout
