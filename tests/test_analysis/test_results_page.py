import json
import os.path as osp

import pytest

from hoverse.analysis.results_page import (load_records, make_comparison, make_table,
                                           read_scores, render_comparison, render_page,
                                           render_table)
from tests.conftest import REPO, run_tool


def _add_record(path, *tables, check: bool = True):
    """``results_page.py add`` of a record at ``path`` with the given table arguments."""
    return run_tool(['tools/analysis_tools/results_page.py', 'add', str(path), '--title', 'A run',
                     '--config', 'configs/hoverse/hoverse_r18_ho3dv2.py', '--data', 'D.',
                     '--machine', 'M', '--command', 'python x.py', *tables], check=check)


def test_scores_are_read_from_each_tool_file(tmp_path):
    (tmp_path / 'scores.txt').write_text('xyz_mean3d: 4.500000\nxyz_auc3d: 0.250000\n')
    assert read_scores(str(tmp_path / 'scores.txt')) == {'xyz_mean3d': 4.5, 'xyz_auc3d': 0.25}
    (tmp_path / 'hpe.json').write_text(json.dumps({'procrustes': {'mpjpe': 7.0, 'auc': 0.8}}))
    assert read_scores(str(tmp_path / 'hpe.json')) == {'procrustes/mpjpe': 7.0,
                                                       'procrustes/auc': 0.8}
    (tmp_path / 'scores.json').write_text(json.dumps(
        {'hand/pa_mpjpe': 10.0, 'meta/use_gt_root': True, 'meta/config': 'c.py'}))
    assert read_scores(str(tmp_path / 'scores.json')) == {'hand/pa_mpjpe': 10.0}
    with pytest.raises(FileNotFoundError, match='missing.json'):
        read_scores(str(tmp_path / 'missing.json'))


def test_a_table_puts_each_metric_beside_its_baseline(tmp_path):
    (tmp_path / 's.json').write_text(json.dumps({'hand/pa_mpjpe': 10.0,
                                                 'object/rot_error_median': 30.0,
                                                 'object/center_error': 40.0}))
    (tmp_path / 'b.json').write_text(json.dumps({'baseline/hand_pa_mpjpe': 20.0,
                                                 'baseline/object_rot_error_median': 120.0}))
    rows = render_table(make_table('val', str(tmp_path / 's.json'), str(tmp_path / 'b.json')))
    assert '| hand/pa_mpjpe (mm) | 10.0 | 20.0 | 0.50 |' in rows
    assert '| object/rot_error_median (deg) | 30.0 | 120.0 | 0.25 |' in rows
    assert '| object/center_error (mm) | 40.0 |  |  |' in rows  # no trivial baseline for it
    (tmp_path / 'scores.txt').write_text('xyz_mean3d: 1.954403\n')
    (tmp_path / 'base.txt').write_text('xyz_mean3d: 1.491412\n')
    rows = render_table(make_table('eval', str(tmp_path / 'scores.txt'),
                                   str(tmp_path / 'base.txt')))
    assert '| xyz_mean3d (cm) | 1.95 | 1.49 | 1.31 |' in rows  # centimetres to the millimetre


def test_a_comparison_reads_each_column_from_its_part_of_a_file(tmp_path):
    fit = tmp_path / 'fit.json'
    fit.write_text(json.dumps({
        'without': {'contact/penetration_depth': 20.0, 'hand/pa_mpjpe': 15.0},
        'with_fit': {'contact/penetration_depth': 0.2, 'hand/pa_mpjpe': 15.0},
        'ground_truth': {'contact/penetration_depth': 0.0},
        'fitter': {'type': 'HandObjectFitter'}}))
    table = make_comparison('val', [('without', f'{fit}#without'),
                                    ('with the fit', f'{fit}#with_fit'),
                                    ('ground truth', f'{fit}#ground_truth')])
    rows = render_comparison(table)
    assert '| metric | without | with the fit | ground truth | with the fit / without |' in rows
    assert '| hand/pa_mpjpe (mm) | 15.0 | 15.0 |  | 1.00 |' in rows
    assert '| contact/penetration_depth (mm) | 20.0 | 0.200 | 0.000 | 0.01 |' in rows
    with pytest.raises(ValueError, match='no scores under'):
        read_scores(f'{fit}#fitter_typo')
    with pytest.raises(ValueError, match='two columns'):
        make_comparison('one', [('without', f'{fit}#without')])
    records = tmp_path / 'records'
    _add_record(records / 'f.json', '--compare', f'val=without:{fit}#without,with:{fit}#with_fit')
    page = tmp_path / 'results.md'
    run_tool(['tools/analysis_tools/results_page.py', 'render', '--records', str(records),
              '--out', str(page)])
    assert '| contact/penetration_depth (mm) | 20.0 | 0.200 | 0.01 |' in page.read_text()


def test_the_results_page_is_rendered_from_its_records():
    """docs/results.md is generated, never typed: it equals the render of its records,
    and each record names a config that exists."""
    records = load_records(osp.join(REPO, 'docs', 'results'))
    assert records, 'no results records'
    for r in records:
        assert osp.isfile(osp.join(REPO, r['config'])), r['config']
        assert all(t['scores'] if 'scores' in t else all(c['scores'] for c in t['columns'])
                   for t in r['tables'])
    assert open(osp.join(REPO, 'docs', 'results.md')).read() == render_page(records)


def test_the_tool_adds_a_record_and_checks_the_page(tmp_path):
    (tmp_path / 'scores.json').write_text(json.dumps({'hand/pa_mpjpe': 10.0}))
    records = tmp_path / 'records'
    _add_record(records / 'a.json', '--table', f'test={tmp_path / "scores.json"}')
    page = tmp_path / 'results.md'
    check = ['tools/analysis_tools/results_page.py', 'render', '--records', str(records),
             '--out', str(page)]
    assert run_tool(check + ['--check'], check=False).returncode != 0
    run_tool(check)
    assert '| hand/pa_mpjpe (mm) | 10.0 |' in page.read_text()
    run_tool(check + ['--check'])
    bad = _add_record(records / 'b.json', '--table', 'test=nothing.json', check=False)
    assert bad.returncode != 0 and 'nothing.json' in bad.stderr
