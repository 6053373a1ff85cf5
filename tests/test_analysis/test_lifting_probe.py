import json

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from hoverse.analysis.lifting_probe import (fit_lifting_probe, hand_extent, pa_mpjpe_mm,
                                            procrustes_mean, projected_joints,
                                            run_lifting_probe)
from tests.conftest import AnnotationSet, run_tool, synthetic_cfg_options

K = np.array([[500.0, 0, 128], [0, 500.0, 128], [0, 0, 1]])


def _set(joints):
    """An annotation set of these camera-frame joints seen through ``K``."""
    return AnnotationSet([dict(joints_cam=j, cam_K=K) for j in joints])


def _bent_hands(n, seed):
    """``(n, 21, 3)`` camera-frame joints 0.5 m away: one fixed random skeleton whose
    joints 5-20 bend about the wrist's x axis by an angle in [0, 1.5] rad, seen from one
    side: the bend is all the articulation there is, and the 2D layout shows it."""
    rng = np.random.default_rng(0)
    base = rng.normal(0, 0.03, (21, 3))
    base[0] = 0
    rng = np.random.default_rng(seed)
    out = []
    for angle in rng.uniform(0, 1.5, n):
        j = base.copy()
        j[5:] = Rotation.from_rotvec([angle, 0, 0]).apply(j[5:])
        out.append(j + [rng.uniform(-0.05, 0.05), rng.uniform(-0.05, 0.05), 0.5])
    return np.stack(out)


def test_projection_and_extent():
    joints = _bent_hands(2, 1)
    uv, rel = projected_joints(_set(joints))
    p = joints[1, 7] @ K.T
    np.testing.assert_allclose(uv[1, 7], p[:2] / p[2])
    np.testing.assert_allclose(rel, joints - joints[:, :1])
    box = np.array([[[0, 0], [4, 1], [2, 3.0]]])
    assert hand_extent(box)[0] == 4


def test_procrustes_mean_of_moved_copies_is_the_shape():
    shape = _bent_hands(1, 0)[0]
    copies = np.stack([s * Rotation.random(random_state=i).apply(shape) + i
                       for i, s in enumerate([1.0, 0.5, 2.0, 1.3])])
    mean = procrustes_mean(copies)
    assert pa_mpjpe_mm(mean[None], shape[None]) < 1e-6
    assert pa_mpjpe_mm(copies, np.repeat(shape[None], 4, 0)) < 1e-6


def test_the_probe_reads_the_bend_and_loses_it_in_noise():
    train, test = _set(_bent_hands(400, 1)), _set(_bent_hands(60, 2))
    out = run_lifting_probe(train, test, fractions=(0.0, 1.0), iters=400)
    base, probe = out['baseline_pa_mpjpe'], out['probe_pa_mpjpe']
    assert base > 2.0  # the bend moves the joints by centimetres
    assert probe['0'] < 0.4 * base  # the layout shows it
    assert probe['1'] > 0.7 * base  # 2D errors as large as the hand hide it
    assert out['test_hand_extent_px'] > 10
    # seeded: the same fit gives the same number
    tr, te = projected_joints(train), projected_joints(test)
    assert fit_lifting_probe(tr, te, 0.0, iters=50) == fit_lifting_probe(tr, te, 0.0, iters=50)


@pytest.mark.parametrize('bad', [['--errors', '-0.1'], ['--iters', '0']])
def test_tool_rejects_bad_arguments(bad):
    proc = run_tool(['tools/analysis_tools/lifting_probe.py',
                     'configs/hoverse_plus/hoverse_plus_r18_synthetic.py', *bad], check=False)
    assert proc.returncode != 0 and ('--errors' in proc.stderr or '--iters' in proc.stderr)


def test_tool_on_a_rendered_set(tmp_path, synthetic_root, mano_dir):
    out = tmp_path / 'probe.json'
    proc = run_tool(['tools/analysis_tools/lifting_probe.py',
                     'configs/hoverse_plus/hoverse_plus_r18_synthetic.py', '--errors', '0', '0.1',
                     '--iters', '20', '--out', str(out), '--cfg-options',
                     *synthetic_cfg_options(synthetic_root, mano_dir)])
    assert 'Procrustes mean of the training joints' in proc.stdout
    result = json.loads(out.read_text())
    assert set(result['probe_pa_mpjpe']) == {'0', '0.1'} and result['baseline_pa_mpjpe'] > 0
