import glob
import os.path as osp
import shutil

import torch

from hoverse.engine import safe_load_checkpoint
from tests.conftest import CONFIGS, run_tool

CFG = osp.join(CONFIGS, 'toy_train.py')


def _weights(path):
    return safe_load_checkpoint(path, map_location='cpu')['state_dict']


def test_train_save_resume_matches_uninterrupted(tmp_path):
    full = tmp_path / 'full'
    run_tool(['tools/train.py', CFG, '--work-dir', str(full)])
    assert osp.isfile(full / 'iter_4.pth') and osp.isfile(full / 'iter_8.pth')
    assert glob.glob(str(full / 'best_toy_mse_iter_*.pth'))

    part = tmp_path / 'part'
    part.mkdir()
    shutil.copy(full / 'iter_4.pth', part / 'iter_4.pth')
    proc = run_tool(['tools/train.py', CFG, '--work-dir', str(part), '--resume',
                     str(part / 'iter_4.pth')])
    assert 'resumed' in (proc.stdout + proc.stderr).lower()
    a, b = _weights(str(full / 'iter_8.pth')), _weights(str(part / 'iter_8.pth'))
    assert a.keys() == b.keys()
    for k in a:
        torch.testing.assert_close(a[k], b[k], rtol=0, atol=1e-6)
    # training moved the weights: a resume that did nothing would not match iter_4
    assert not torch.allclose(_weights(str(part / 'iter_4.pth'))['fc.weight'], a['fc.weight'])


def test_resume_auto_picks_latest(tmp_path):
    run_tool(['tools/train.py', CFG, '--work-dir', str(tmp_path), '--cfg-options',
              'train_cfg.max_iters=4'])
    proc = run_tool(['tools/train.py', CFG, '--work-dir', str(tmp_path), '--resume'])
    assert 'iter_4.pth' in proc.stdout + proc.stderr
    assert osp.isfile(tmp_path / 'iter_8.pth')


def test_cfg_options_typo_fails_clearly(tmp_path):
    proc = run_tool(['tools/train.py', CFG, '--work-dir', str(tmp_path), '--cfg-options',
                     'train_cfg.max_iter=3'], check=False)
    assert proc.returncode != 0
    assert "has no key 'max_iter'" in proc.stderr and 'max_iters' in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_test_tool_evaluates_checkpoint(tmp_path):
    run_tool(['tools/train.py', CFG, '--work-dir', str(tmp_path), '--cfg-options',
              'train_cfg.max_iters=4'])
    proc = run_tool(['tools/test.py', CFG, str(tmp_path / 'iter_4.pth'), '--work-dir',
                     str(tmp_path / 'test'), '--out', str(tmp_path / 'preds.pkl')])
    assert 'toy/mse' in proc.stdout + proc.stderr
    assert osp.isfile(tmp_path / 'preds.pkl')
