"""The benchmark scripts run and report every figure (smoke runs; no timing asserted)."""
import json

from tests.conftest import run_tool


def test_benchmark_inference_and_train(tmp_path, r18_checkpoint, synthetic_root, mano_dir):
    out = tmp_path / 'b.json'
    opts = r18_checkpoint['cli'] + [
        f'train_dataloader.dataset.data_root={synthetic_root}',
        f'train_dataloader.dataset.mano_path={mano_dir}', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False']
    run_tool(['tools/analysis_tools/benchmark.py', 'configs/hoverse/hoverse_r18_synthetic.py',
              r18_checkpoint['path'], '--mode', 'both', '--batch-size', '2', '--num-iters', '2',
              '--warmup', '1', '--out', str(out), '--cfg-options', *opts], timeout=600)
    r = json.loads(out.read_text())
    assert set(r['inference']['ms_per_image']) == {
        'backbone', 'dbfam', 'cfsm', 'mano_head', 'object_head', 'postprocess', 'total'}
    assert r['inference']['post_backbone_over_backbone'] > 0
    assert set(r['train']['ms_per_iter']) == {'data', 'forward', 'backward', 'step', 'total'}
    assert 0 <= r['train']['data_share'] < 1 and r['peak_rss_gib'] > 0


def test_benchmark_physics(tmp_path):
    out = tmp_path / 'p.json'
    run_tool(['tools/analysis_tools/benchmark_physics.py', '--repeat', '1', '--dense-faces',
              '200', '--out', str(out)], timeout=600)
    r = json.loads(out.read_text())
    assert {'box', 'box-dense', 'mug'} <= set(r['objects'])
    for v in r['objects'].values():
        assert v['speedup'] > 0 and v['max_mm_near'] < 2.0
    assert set(r['interaction_ms_per_sample']['mug']) == {'penetration_ms', 'volume_ms',
                                                          'contact_ms'}
