"""tools/misc/publish_model.py and tools/misc/model_zoo.py on a real (toy) training run."""
import os.path as osp

import pytest
import torch

from hoverse.engine import safe_load_checkpoint
from hoverse.utils.hashing import file_sha256
from tests.conftest import CONFIGS, run_tool

CFG = osp.join(CONFIGS, 'toy_train.py')


@pytest.fixture(scope='module')
def toy_run(tmp_path_factory):
    work = tmp_path_factory.mktemp('zoo') / 'toy_train'
    run_tool(['tools/train.py', CFG, '--work-dir', str(work)])
    run_tool(['tools/test.py', CFG, str(work / 'iter_8.pth'), '--work-dir', str(work)])
    return work


def test_publish_keeps_the_weights_and_names_the_hash(toy_run, tmp_path):
    src = toy_run / 'iter_8.pth'
    assert 'optimizer' in safe_load_checkpoint(str(src), map_location='cpu')
    out = run_tool(['tools/misc/publish_model.py', str(src), str(tmp_path / 'toy.pth')])
    path = out.stdout.strip().splitlines()[-1]
    assert osp.basename(path) == f'toy-{file_sha256(path)[:8]}.pth'
    pub = safe_load_checkpoint(path, map_location='cpu')
    assert set(pub) == {'state_dict', 'meta'}
    full = safe_load_checkpoint(str(src), map_location='cpu')
    for k, v in full['state_dict'].items():
        torch.testing.assert_close(pub['state_dict'][k], v, rtol=0, atol=0)
    bad = run_tool(['tools/misc/publish_model.py', str(tmp_path / 'nope.pth'),
                    str(tmp_path / 'x.pth')], check=False)
    assert bad.returncode != 0 and 'nope.pth' in bad.stderr


def test_model_zoo_rows_come_from_the_work_dir(toy_run, tmp_path):
    import json
    (toy_run / 'baselines_test.json').write_text(json.dumps({'baseline/hand_pa_mpjpe': 12.5}))
    page = tmp_path / 'zoo.md'
    run_tool(['tools/misc/model_zoo.py', str(toy_run), '--out', str(page)])
    text = page.read_text()
    scores = json.load(open(toy_run / 'scores.json'))
    row = [line for line in text.splitlines() if 'toy_train.py' in line]
    assert len(row) == 1, text
    assert '8 iterations' in row[0] and 'CPU, 1 process' in row[0]
    assert scores['meta/checkpoint_sha256'][:8] in row[0] and '`iter_8.pth`' in row[0]
    bad = run_tool(['tools/misc/model_zoo.py', str(tmp_path), '--out', str(page)],
                   check=False)
    assert bad.returncode != 0 and 'no scores.json' in bad.stderr
