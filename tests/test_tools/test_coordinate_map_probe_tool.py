"""tools/analysis_tools/coordinate_map_probe.py on a tiny set and an untrained model."""
import json

from tests.conftest import run_tool, synthetic_cfg_options

CONFIG = 'configs/hoverse_plus/hoverse_plus_r18_synthetic_long_coords.py'


def test_probe_tool_writes_a_summary_per_object(synthetic_root, mano_dir, tmp_path):
    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from hoverse.registry import MODELS
    opts = synthetic_cfg_options(synthetic_root, mano_dir)
    cfg = Config.fromfile(CONFIG)
    cfg.merge_from_dict(dict(o.split('=', 1) for o in opts if o.startswith('model.')))
    init_default_scope('hoverse')
    torch.manual_seed(0)
    ckpt = str(tmp_path / 'coords.pth')
    torch.save({'state_dict': MODELS.build(cfg.model).state_dict(), 'meta': {}}, ckpt)
    out = tmp_path / 'probe.json'
    proc = run_tool(['tools/analysis_tools/coordinate_map_probe.py', CONFIG, ckpt, '--num', '3',
                     '--batch-size', '2', '--out', str(out), '--cfg-options', *opts],
                    timeout=600)
    assert 'map_l1' in proc.stdout
    result = json.loads(out.read_text())
    assert result['summary']['all']['count'] == 3 and len(result['rows']) == 3
    assert 0 <= result['summary']['all']['mask_iou'] <= 1


def test_probe_tool_rejects_bad_arguments():
    proc = run_tool(['tools/analysis_tools/coordinate_map_probe.py', CONFIG, 'x.pth',
                     '--num', '0'], check=False)
    assert proc.returncode != 0 and '--num' in proc.stderr
