"""A run killed with SIGKILL mid-epoch and resumed reaches the uninterrupted run's weights."""
import os.path as osp
import re

import torch

from hoverse.engine import safe_load_checkpoint
from tests.conftest import CONFIGS, run_tool

CFG = osp.join(CONFIGS, 'toy_train.py')
# 8 iterations of 16 per epoch (64 samples, batch 4), checkpoints at 4 and 8
OPTS = ['--cfg-options', 'randomness.deterministic=True']


def _val_metrics(log: str):
    return re.findall(r'toy/mse: ([0-9.]+)', log)


def test_sigkill_then_resume_matches_uninterrupted(tmp_path):
    full = run_tool(['tools/train.py', CFG, '--work-dir', str(tmp_path / 'full'), *OPTS])
    killed = run_tool(['tools/train.py', CFG, '--work-dir', str(tmp_path / 'run'), *OPTS],
                      env={'HOVERSE_TEST_KILL_AT_ITER': '6'}, check=False)
    assert killed.returncode == -9  # SIGKILL, after iter_4.pth, mid-epoch
    assert osp.isfile(tmp_path / 'run' / 'iter_4.pth')
    assert not osp.isfile(tmp_path / 'run' / 'iter_8.pth')
    resumed = run_tool(['tools/train.py', CFG, '--work-dir', str(tmp_path / 'run'), '--resume',
                        *OPTS])
    assert 'iter_4.pth' in resumed.stdout + resumed.stderr
    a = safe_load_checkpoint(str(tmp_path / 'full' / 'iter_8.pth'), map_location='cpu')
    b = safe_load_checkpoint(str(tmp_path / 'run' / 'iter_8.pth'), map_location='cpu')
    for k in a['state_dict']:
        torch.testing.assert_close(a['state_dict'][k], b['state_dict'][k], rtol=0, atol=0)
    # the validation at iteration 8 reports the same metric
    assert _val_metrics(full.stdout + full.stderr)[-1] == \
        _val_metrics(resumed.stdout + resumed.stderr)[-1]


def test_sigkill_inside_a_save_with_one_kept_checkpoint_loses_nothing(tmp_path):
    # max_keep_ckpts=1: mmengine's own hook deleted iter_4.pth before writing iter_8.pth, so
    # a kill inside that save left no checkpoint at all
    opts = OPTS + ['default_hooks.checkpoint.max_keep_ckpts=1']
    full = run_tool(['tools/train.py', CFG, '--work-dir', str(tmp_path / 'full'), *opts])
    run = tmp_path / 'run'
    killed = run_tool(['tools/train.py', CFG, '--work-dir', str(run), *opts],
                      env={'HOVERSE_TEST_KILL_IN_SAVE': 'iter_8.pth'}, check=False)
    assert killed.returncode == -9
    assert [p.name for p in run.glob('.iter_8.pth.*.tmp')]  # killed mid-save
    assert not osp.isfile(run / 'iter_8.pth')
    assert safe_load_checkpoint(str(run / 'iter_4.pth'))['meta']['iter'] == 4
    assert (run / 'last_checkpoint').read_text().endswith('iter_4.pth')
    resumed = run_tool(['tools/train.py', CFG, '--work-dir', str(run), '--resume', *opts])
    assert 'resuming from' in resumed.stdout and 'iter_4.pth' in resumed.stdout
    assert not list(run.glob('.*.tmp'))  # the partial file was cleaned up
    assert not osp.isfile(run / 'iter_4.pth')  # rotated out once iter_8.pth was written
    a = safe_load_checkpoint(str(tmp_path / 'full' / 'iter_8.pth'), map_location='cpu')
    b = safe_load_checkpoint(str(run / 'iter_8.pth'), map_location='cpu')
    for k in a['state_dict']:
        torch.testing.assert_close(a['state_dict'][k], b['state_dict'][k], rtol=0, atol=0)
    assert _val_metrics(full.stdout + full.stderr)[-1] == \
        _val_metrics(resumed.stdout + resumed.stderr)[-1]


def test_sigkill_inside_a_new_best_save_keeps_the_previous_best(tmp_path):
    run = tmp_path / 'run'
    killed = run_tool(['tools/train.py', CFG, '--work-dir', str(run), *OPTS],
                      env={'HOVERSE_TEST_KILL_IN_SAVE': 'best_toy_mse_iter_8.pth'},
                      check=False)
    assert killed.returncode == -9
    assert list(run.glob('.best_toy_mse_iter_8.pth.*.tmp'))  # killed inside the new best
    assert safe_load_checkpoint(str(run / 'best_toy_mse_iter_4.pth'))['meta']['iter'] == 4
    done = tmp_path / 'done'  # uninterrupted: the old best is rotated out after the new one
    run_tool(['tools/train.py', CFG, '--work-dir', str(done), *OPTS])
    assert [p.name for p in done.glob('best_*.pth')] == ['best_toy_mse_iter_8.pth']
