"""benchmark_matrix.py: one benchmark.py row per (config, AMP), a table, JSON kept per row."""
import json
import subprocess

import pytest

from tests.conftest import REPO, load_script, run_tool


def _tool():
    return load_script('tools/analysis_tools/benchmark_matrix.py', 'benchmark_matrix')


def _fake_runner(images_per_s, fail_amp_for=()):
    """Stands in for subprocess.run: writes benchmark.py's JSON for the row it is given."""
    calls = []

    def run(cmd, **kwargs):
        calls.append(cmd)
        config, amp = cmd[2], '--amp' in cmd
        if amp and config in fail_amp_for:
            return subprocess.CompletedProcess(cmd, 1, 'starting\n', 'RuntimeError: no bf16\n')
        out = cmd[cmd.index('--out') + 1]
        ips = images_per_s[config] * (1.5 if amp else 1.0)
        train = dict(batch_size=int(cmd[cmd.index('--batch-size') + 1]), num_workers=4,
                     images_per_s=ips, step_images_per_s=2 * ips, data_share=0.05,
                     overhead_over_backbone=0.2, ms_per_iter=dict(total=1000 / ips),
                     peak_gpu_mem_gib=1.25)
        with open(out, 'w') as f:
            json.dump(dict(input_size=128, peak_rss_gib=3.0, train=train), f)
        return subprocess.CompletedProcess(cmd, 0, '', '')
    return run, calls


def test_rows_speedups_and_table_from_each_configs_runs(tmp_path, monkeypatch):
    tool = _tool()
    a, b = ('configs/hoverse_plus/hoverse_plus_r18_synthetic.py',
            'configs/hoverse/hoverse_r50_synthetic.py')
    run, calls = _fake_runner({a: 100.0, b: 20.0}, fail_amp_for=(b, ))
    monkeypatch.setattr(tool.subprocess, 'run', run)
    monkeypatch.chdir(REPO)
    out = tmp_path / 'sub' / 'm.json'
    status = tool.main(['--configs', a, b, '--device', 'cpu', '--batch-size', '8',
                        '--num-iters', '2', '--out', str(out), '--cfg-options', 'x=1'])
    assert status == 1  # one row failed
    assert len(calls) == 4 and sum('--amp' in c for c in calls) == 2
    assert all(c[c.index('--mode') + 1] == 'train' and c[-2:] == ['--cfg-options', 'x=1']
               for c in calls)
    report = json.loads(out.read_text())
    rows = report['rows']
    assert [(r['config'], r['amp']) for r in rows] == [(a, False), (a, True), (b, False),
                                                       (b, True)]
    assert rows[0]['batch_size'] == 8 and rows[1]['images_per_s'] == pytest.approx(150)
    assert 'no bf16' in rows[3]['error']
    assert report['amp_speedup'] == {a: pytest.approx(1.5)}  # b's AMP row failed
    table = tool.markdown_table(rows, 'cuda')
    assert table.count('\n') == 5 and 'failed: RuntimeError: no bf16' in table
    assert ('| hoverse_plus_r18_synthetic | 128 | 8 | 4 | on | 150.0 | 300.0 | 5.0 % | '
            '20.0 % | 1.25 |') in table
    assert '| 3.00 |' in tool.markdown_table(rows[:1], 'cpu')  # resident memory on the CPU


def test_rows_written_before_a_later_row_is_interrupted(tmp_path, monkeypatch):
    tool = _tool()
    a, b = ('configs/hoverse_plus/hoverse_plus_r18_synthetic.py',
            'configs/hoverse/hoverse_r50_synthetic.py')
    run, _ = _fake_runner({a: 10.0, b: 10.0})

    def interrupted(cmd, **kwargs):
        if cmd[2] == b:
            raise KeyboardInterrupt
        return run(cmd, **kwargs)
    monkeypatch.setattr(tool.subprocess, 'run', interrupted)
    monkeypatch.chdir(REPO)
    out = tmp_path / 'm.json'
    with pytest.raises(KeyboardInterrupt):
        tool.main(['--configs', a, b, '--device', 'cpu', '--out', str(out)])
    rows = json.loads(out.read_text())['rows']
    assert [(r['config'], r['amp']) for r in rows] == [(a, False), (a, True)]


def test_bad_arguments_are_named(tmp_path):
    proc = run_tool(['tools/analysis_tools/benchmark_matrix.py', '--configs',
                     'configs/hoverse/nope.py', '--device', 'cpu'], check=False)
    assert proc.returncode == 2 and "no config file 'configs/hoverse/nope.py'" in proc.stderr
    proc = run_tool(['tools/analysis_tools/benchmark_matrix.py', '--batch-size', '0',
                     '--device', 'cpu'], check=False)
    assert proc.returncode == 2 and '--batch-size' in proc.stderr


def test_a_real_row_on_the_cpu(tmp_path, synthetic_root, mano_dir):
    """The command line the matrix builds is one benchmark.py accepts, and its JSON parses."""
    out = tmp_path / 'm.json'
    opts = [f'model.mano_head.mano.model_path={mano_dir}',
            f'model.object_models_root={synthetic_root}/models',
            f'train_dataloader.dataset.data_root={synthetic_root}',
            f'train_dataloader.dataset.mano_path={mano_dir}', 'train_dataloader.num_workers=0',
            'train_dataloader.persistent_workers=False']
    run_tool(['tools/analysis_tools/benchmark_matrix.py', '--configs',
              'configs/hoverse_plus/hoverse_plus_r18_synthetic.py', '--device', 'cpu', '--no-amp',
              '--batch-size', '2', '--num-iters', '1', '--warmup', '0', '--out', str(out),
              '--cfg-options', *opts], timeout=600)
    (row, ) = json.loads(out.read_text())['rows']
    assert 'error' not in row, row.get('error')
    assert row['batch_size'] == 2 and row['num_workers'] == 0 and row['input_size'] == 128
    assert row['images_per_s'] > 0 and 0 <= row['data_share'] < 1
    assert row['peak_gpu_mem_gib'] is None and row['peak_rss_gib'] > 0
