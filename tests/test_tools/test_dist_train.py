"""2-process CPU (gloo) training, validation and testing agree with 1 process."""
import glob
import os
import os.path as osp
import re
import socket
import subprocess
import sys

import pytest
import torch

from hoverse.engine import safe_load_checkpoint
from tests.conftest import CONFIGS, PLUGINS, REPO, run_tool

CFG = osp.join(CONFIGS, 'toy_train.py')
COMMON = ['train_cfg.max_iters=4', 'train_cfg.val_interval=4']


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _dist(script: str, args):
    env = dict(os.environ, PORT=str(_free_port()), PYTHON=sys.executable,
               PYTHONPATH=os.pathsep.join([PLUGINS, REPO]), OMP_NUM_THREADS='1')
    proc = subprocess.run(['bash', script, *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return proc.stdout + proc.stderr


def _mse(log: str) -> float:
    return float(re.findall(r'toy/mse: ([0-9.e-]+)', log)[-1])


def test_two_processes_match_one(tmp_path):
    # 2 ranks x batch 4 see exactly the samples of 1 rank x batch 8 at every step
    one = run_tool(['tools/train.py', CFG, '--work-dir', str(tmp_path / 'one'),
                    '--cfg-options', *COMMON, 'train_dataloader.batch_size=8'])
    log2 = _dist('tools/dist_train.sh', [CFG, '2', '--work-dir', str(tmp_path / 'two'),
                                         '--cfg-options', *COMMON,
                                         'train_dataloader.batch_size=4'])
    assert 'Distributed training: True' in log2 and 'GPU number: 2' in log2
    # one checkpoint, written by rank 0 only; both ranks hold the same weights
    assert [osp.basename(p) for p in glob.glob(str(tmp_path / 'two' / 'iter_*.pth'))] == \
        ['iter_4.pth']
    r0 = torch.load(tmp_path / 'two' / 'rank0_final.pt')
    r1 = torch.load(tmp_path / 'two' / 'rank1_final.pt')
    for k in r0:
        torch.testing.assert_close(r0[k], r1[k], rtol=0, atol=0)
    a = safe_load_checkpoint(str(tmp_path / 'one' / 'iter_4.pth'), map_location='cpu')
    b = safe_load_checkpoint(str(tmp_path / 'two' / 'iter_4.pth'), map_location='cpu')
    for k in a['state_dict']:
        torch.testing.assert_close(a['state_dict'][k], b['state_dict'][k], rtol=1e-5,
                                   atol=1e-6)
    # validation: the metric over the whole set, gathered from both ranks
    assert _mse(log2) == pytest.approx(_mse(one.stdout + one.stderr), rel=1e-5)
    # testing the same checkpoint with 1 and 2 processes
    ckpt = str(tmp_path / 'two' / 'iter_4.pth')
    t1 = run_tool(['tools/test.py', CFG, ckpt, '--work-dir', str(tmp_path / 't1')])
    t2 = _dist('tools/dist_test.sh', [CFG, ckpt, '2', '--work-dir', str(tmp_path / 't2')])
    assert _mse(t2) == pytest.approx(_mse(t1.stdout + t1.stderr), rel=1e-6)
