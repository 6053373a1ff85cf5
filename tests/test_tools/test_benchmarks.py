"""The benchmark scripts run and report every figure (smoke runs; no timing asserted)."""
import importlib.util
import json

import pytest

from tests.conftest import run_tool, synthetic_cfg_options

QUICKSTART = 'configs/hoverse_plus/hoverse_plus_r18_synthetic.py'


def test_benchmark_inference_and_train(tmp_path, r18_checkpoint, synthetic_root, mano_dir):
    out = tmp_path / 'b.json'
    opts = r18_checkpoint['cli'] + [
        f'train_dataloader.dataset.data_root={synthetic_root}',
        f'train_dataloader.dataset.mano_path={mano_dir}', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False']
    run_tool(['tools/analysis_tools/benchmark.py', QUICKSTART, r18_checkpoint['path'],
              '--mode', 'both', '--batch-size', '2', '--num-iters', '2', '--warmup', '1',
              '--out', str(out), '--cfg-options', *opts], timeout=600)
    r = json.loads(out.read_text())
    assert set(r['inference']['ms_per_image']) == {
        'backbone', 'dbfam', 'cfsm', 'mano_head', 'object_head', 'postprocess', 'total'}
    assert r['inference']['post_backbone_over_backbone'] > 0
    assert set(r['train']['ms_per_iter']) == {'data', 'forward', 'backward', 'step', 'total'}
    assert 0 <= r['train']['data_share'] < 1 and r['peak_rss_gib'] > 0
    # the ratio per iteration: the step against the backbone's forward and backward in it
    rows = r['train']['step_backbone_ms']
    assert len(rows) == 2 and all(fwd > 0 and bwd > 0 and fwd + bwd < step
                                  for step, fwd, bwd in rows)
    ratios = sorted(step / (fwd + bwd) - 1 for step, fwd, bwd in rows)
    lo, hi = r['train']['overhead_range']
    assert (lo, hi) == (pytest.approx(ratios[0]), pytest.approx(ratios[-1]))
    assert lo <= r['train']['overhead_over_backbone'] <= hi
    assert r['train']['backbone_fwd_bwd_ms'] > 0


def test_benchmark_profile_writes_a_trace(tmp_path, synthetic_root, mano_dir):
    """``--profile DIR``: a Chrome trace of the training iterations that holds the model's
    operators, and the timings still come back."""
    out, trace_dir = tmp_path / 'b.json', tmp_path / 'trace'
    run_tool(['tools/analysis_tools/benchmark.py', QUICKSTART, '--mode', 'train',
              '--num-iters', '2', '--warmup', '1', '--profile', str(trace_dir), '--out',
              str(out), '--cfg-options',
              *synthetic_cfg_options(synthetic_root, mano_dir)], timeout=600)
    traces = list(trace_dir.glob('*.pt.trace.json'))
    assert len(traces) == 1, list(trace_dir.iterdir())
    names = {e.get('name', '') for e in json.loads(traces[0].read_text())['traceEvents']}
    assert any(n.startswith('aten::convolution') for n in names)
    assert any('Optimizer.step' in n for n in names)
    r = json.loads(out.read_text())['train']
    lo, hi = r['overhead_range']
    assert lo <= r['overhead_over_backbone'] <= hi and r['backbone_in_step_ms'] > 0


def test_benchmark_physics(tmp_path):
    out = tmp_path / 'p.json'
    run_tool(['tools/analysis_tools/benchmark_physics.py', '--repeat', '1', '--dense-faces',
              '200', '--objects', 'box', 'mug', '--out', str(out)], timeout=600)
    r = json.loads(out.read_text())
    assert set(r['objects']) == {'box', 'box-dense', 'mug', 'mug-dense'}
    for v in r['objects'].values():
        assert v['speedup'] > 0 and v['max_mm_near'] < 2.0
    keys = {'penetration_ms', 'volume_ms', 'volume_1mm_ms', 'contact_ms'}
    if importlib.util.find_spec('pybullet') is not None:
        keys |= {'sim_displacement_ms', 'sim_displacement_1s_ms'}
    assert set(r['interaction_ms_per_sample']['mug']) == keys


def test_component_timer_times_submodules_inside_the_models_own_forward():
    import time

    import torch
    from tests.conftest import load_script
    tool = load_script('tools/analysis_tools/benchmark.py', 'benchmark_tool')

    class Slow(torch.nn.Module):
        def forward(self, x):
            time.sleep(0.03)
            return x

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.backbone, self.head = torch.nn.Linear(2, 2), Slow()

        def forward(self, x):
            return self.head(self.backbone(x))

    net = Net()
    with tool.ComponentTimer(net, ('backbone', 'head', 'absent')) as timer:
        timer.reset()
        net(torch.zeros(1, 2))
    assert timer.last['head'] >= 0.03 > timer.last['backbone'] > 0
    assert timer.last['absent'] == 0.0
    net(torch.zeros(1, 2))  # hooks removed on exit: nothing recorded any more
    assert timer.last['head'] < 0.06


def test_hand_object_box_prior_on_the_synthetic_set(tmp_path, synthetic_root, mano_dir):
    out = tmp_path / 'prior.json'
    run_tool(['tools/analysis_tools/hand_object_box_prior.py',
              QUICKSTART, '--out', str(out), '--cfg-options',
              f'train_dataloader.dataset.data_root={synthetic_root}',
              f'train_dataloader.dataset.mano_path={mano_dir}'])
    r = json.loads(out.read_text())
    assert r['samples'] == 6
    q = r['side']
    # the hand-object box holds the hand box: at least one hand side, quantiles in order
    assert 1.0 <= q['p10'] <= q['p50'] <= q['p90'] and r['prior']['scale'] == round(q['p50'], 2)
