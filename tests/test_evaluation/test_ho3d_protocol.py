"""HO3D scores against values derived by hand from the published protocol."""
import json

import numpy as np
import pytest

from hoverse.evaluation.ho3d_protocol import SCORE_KEYS, evaluate_ho3d, format_scores
from tests.conftest import run_tool

H = 0.05 / 99  # the PCK threshold step


def _grid(n, spacing=0.05):
    g = np.stack(np.meshgrid(*[np.arange(10)] * 3, indexing='ij'), -1).reshape(-1, 3)
    return g[:n] * spacing


@pytest.fixture
def case():
    rng = np.random.default_rng(0)
    xyz = [rng.normal(0, 0.05, (21, 3)) for _ in range(2)]
    verts = [_grid(778), _grid(778) + 0.3]  # vertices 5 cm apart: nearest = own
    shift = np.array([0.01, 0, 0])
    return xyz, verts, [xyz[0] + shift, xyz[1]], [verts[0] + shift, verts[1]]


def test_one_sample_shifted_by_1cm(case):
    s = evaluate_ho3d(*case)
    assert list(s) == list(SCORE_KEYS)
    # per joint: errors {1 cm, 0} -> mean 0.5 cm; PCK 1/2 below 1 cm, 1 from k = 20 on:
    # area 0.5 * 19h + 0.75h + 79h = 89.25h of 99h
    auc = 89.25 / 99
    assert s['xyz_mean3d'] == pytest.approx(0.5, abs=1e-9)
    assert s['xyz_auc3d'] == pytest.approx(auc, abs=1e-9)
    for k in ('xyz_procrustes_al', 'xyz_scale_trans_al', 'mesh_al'):
        assert s[f'{k}_mean3d'] == pytest.approx(0, abs=1e-7)
        # the protocol counts error <= 0 at the first threshold: rounding-level errors
        # after alignment miss it, so a perfect alignment scores between 1 - 0.5/99 and 1
        assert 1 - 0.5 / 99 - 1e-12 <= s[f'{k}_auc3d'] <= 1
    assert s['mesh_mean3d'] == pytest.approx(0.5, abs=1e-9)
    assert s['mesh_auc3d'] == pytest.approx(auc, abs=1e-9)
    # raw F-score: the shifted sample has no vertex within 5 mm (0), all within 15 mm (1)
    assert s['f_score_5'] == pytest.approx(0.5) and s['f_score_15'] == pytest.approx(1.0)
    assert s['f_al_score_5'] == pytest.approx(1.0) and s['f_al_score_15'] == pytest.approx(1.0)


def test_scaled_prediction_is_fixed_by_scale_translation_alignment(case):
    xyz, verts, _, _ = case
    pred = [(x - x[0]) * 2 + x[0] for x in xyz]
    s = evaluate_ho3d(xyz, verts, pred, verts)
    expect = np.mean([np.linalg.norm(x - x[0], axis=1) for x in xyz], 0).mean() * 100
    assert s['xyz_mean3d'] == pytest.approx(expect, abs=1e-9)
    assert s['xyz_scale_trans_al_mean3d'] == pytest.approx(0, abs=1e-9)
    assert s['xyz_procrustes_al_mean3d'] == pytest.approx(0, abs=1e-7)


def test_non_mano_meshes_get_the_protocol_markers(case):
    xyz, verts, pxyz, pverts = case
    s = evaluate_ho3d(xyz, verts, pxyz, [v[:500] for v in pverts])
    assert s['mesh_mean3d'] == -100 and s['mesh_auc3d'] == -1
    assert 0 <= s['f_al_score_5'] <= 1


def test_tool_writes_scores_txt_and_reports_bad_files(case, tmp_path):
    xyz, verts, pxyz, pverts = case
    gl = np.diag([1.0, -1, -1])
    for name, data in (('evaluation_xyz', xyz), ('evaluation_verts', verts)):
        (tmp_path / f'{name}.json').write_text(json.dumps([(d @ gl).tolist() for d in data]))
    pred = tmp_path / 'pred.json'
    pred.write_text(json.dumps([[(d @ gl).tolist() for d in pxyz],
                                [(d @ gl).tolist() for d in pverts]]))
    proc = run_tool(['tools/analysis_tools/eval_ho3d.py', str(tmp_path), str(pred)])
    text = (tmp_path / 'scores.txt').read_text()
    assert text == format_scores(evaluate_ho3d(*case)) and 'xyz_mean3d: 0.500000' in text
    assert 'f_al_score_15: 1.000000' in proc.stdout
    pred.write_text(json.dumps([[]]))
    bad = run_tool(['tools/analysis_tools/eval_ho3d.py', str(tmp_path), str(pred)],
                   check=False)
    assert bad.returncode != 0 and 'expected [xyz_list, verts_list]' in bad.stderr
    assert 'Traceback' not in bad.stderr
