"""tools/test.py refuses a checkpoint that does not fit the config, unless told to."""
from tests.conftest import run_tool, synthetic_cfg_options


def test_mismatched_checkpoint_is_refused_not_scored(r18_checkpoint, synthetic_root, mano_dir,
                                                     tmp_path):
    opts = synthetic_cfg_options(synthetic_root, mano_dir) + ['model.backbone.init_cfg=None']
    proc = run_tool(['tools/test.py', 'configs/hoverse/hoverse_r50_synthetic.py',
                     r18_checkpoint['path'], '--work-dir', str(tmp_path / 'w'),
                     '--cfg-options', *opts], check=False, timeout=600)
    assert proc.returncode != 0
    err = proc.stderr.strip().splitlines()[-1]
    assert 'does not fit the model' in err and 'wrong-shape' in err and 'r18.pth' in err
    assert 'Iter(test)' not in proc.stdout + proc.stderr  # nothing was scored
