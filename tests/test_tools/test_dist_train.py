import glob
import os
import os.path as osp
import socket
import subprocess
import sys

import torch

from tests.conftest import CONFIGS, PLUGINS, REPO


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_dist_train_two_cpu_processes(tmp_path):
    """Each rank sees different data; identical final weights prove gradients were synced."""
    env = dict(os.environ, PORT=str(_free_port()), PYTHON=sys.executable,
               PYTHONPATH=os.pathsep.join([PLUGINS, REPO]), OMP_NUM_THREADS='1')
    proc = subprocess.run(
        ['bash', 'tools/dist_train.sh', osp.join(CONFIGS, 'toy_train.py'), '2', '--work-dir',
         str(tmp_path), '--cfg-options', 'train_cfg.max_iters=4'],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-4000:]
    # one checkpoint, written by rank 0 only
    assert [osp.basename(p) for p in glob.glob(str(tmp_path / 'iter_*.pth'))] == ['iter_4.pth']
    r0 = torch.load(tmp_path / 'rank0_final.pt')
    r1 = torch.load(tmp_path / 'rank1_final.pt')
    for k in r0:
        torch.testing.assert_close(r0[k], r1[k], rtol=0, atol=0)
    log = proc.stdout + proc.stderr
    # mmengine reports the world size as 'GPU number' whatever the device
    assert 'Distributed training: True' in log and 'GPU number: 2' in log
