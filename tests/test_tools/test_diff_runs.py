"""tools/analysis_tools/diff_runs.py: two trainings of the same config with its seed are the
same run (CPU training is deterministic); a changed tensor or metric is reported."""
import json
import os.path as osp

import pytest
import torch

from hoverse.engine import safe_load_checkpoint
from tests.conftest import CONFIGS, run_tool

CFG = osp.join(CONFIGS, 'toy_train.py')


SCORES = {'toy/mse': 1.93, 'time': 0.1, 'meta/date': '2026-12-07'}


@pytest.fixture(scope='module')
def two_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp('diff_runs')
    for name, date in (('a', '2026-12-07'), ('b', '2027-01-01')):
        work = root / name
        run_tool(['tools/train.py', CFG, '--work-dir', str(work)])
        (work / 'test').mkdir()  # timings and provenance differ between runs: not compared
        (work / 'test' / 'scores.json').write_text(json.dumps(
            dict(SCORES, time=0.1 + len(name), **{'meta/date': date})))
    return root / 'a', root / 'b'


def diff(a, b):
    return run_tool(['tools/analysis_tools/diff_runs.py', str(a), str(b), '--checkpoint',
                     'iter_8.pth'], check=False)


def test_the_same_seed_gives_the_same_run(two_runs):
    out = diff(*two_runs)
    assert out.returncode == 0, out.stdout + out.stderr
    assert '0 differ' in out.stdout and 'same run' in out.stdout


def test_a_changed_tensor_and_metric_are_named(two_runs, tmp_path):
    a, b = two_runs
    ckpt = safe_load_checkpoint(str(b / 'iter_8.pth'), map_location='cpu')
    name = sorted(ckpt['state_dict'])[0]
    ckpt['state_dict'][name] = ckpt['state_dict'][name] + 1e-6
    (tmp_path / 'test').mkdir()
    torch.save(ckpt, tmp_path / 'iter_8.pth')
    key = 'toy/mse'
    (tmp_path / 'test' / 'scores.json').write_text(json.dumps(dict(SCORES, **{key: 2.43})))
    out = diff(a, tmp_path)
    assert out.returncode == 1
    assert '1 differ' in out.stdout and name in out.stdout
    assert '1 metrics differ' in out.stdout and key in out.stdout
    missing = diff(a, tmp_path / 'nowhere')
    assert missing.returncode != 0 and 'nowhere' in missing.stderr
