"""tools/train.py and tools/test.py on the real model and a tiny rendered synthetic set."""
import glob
import importlib.util
import os.path as osp

from tests.conftest import run_tool, synthetic_cfg_options, tiny_schedule

CFG = 'configs/hoverse_plus/hoverse_plus_r18_synthetic.py'


def test_train_validates_and_writes_checkpoint_then_test_evaluates(tmp_path, synthetic_root,
                                                                   mano_dir):
    opts = synthetic_cfg_options(synthetic_root, mano_dir)
    work = tmp_path / 'work'
    board = importlib.util.find_spec('tensorboard') is not None
    proc = run_tool(['tools/train.py', CFG, '--work-dir', str(work)]
                    + (['--tensorboard'] if board else [])
                    + ['--cfg-options', *opts, *tiny_schedule(2)], timeout=600)
    log = proc.stdout + proc.stderr
    assert osp.isfile(work / 'iter_2.pth')
    assert 'loss_sdf' in log and 'loss_obj_rot' in log
    assert 'hand/mpjpe' in log and 'object/center_error' in log  # validation ran
    if board:  # TensorBoard's own reader lists the losses, the rate, metrics and pictures
        from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
        events = glob.glob(str(work / '*' / 'vis_data' / 'events.out.tfevents.*'))
        assert events, 'no TensorBoard event file'
        acc = EventAccumulator(osp.dirname(events[0]), size_guidance={'images': 0})
        acc.Reload()
        tags = acc.Tags()
        assert {'loss', 'loss_sdf', 'lr', 'hand/mpjpe', 'object/rot_error'} <= \
            set(tags['scalars']), tags['scalars']
        assert tags['images'], 'no validation pictures'
    proc = run_tool(['tools/test.py', CFG, str(work / 'iter_2.pth'), '--work-dir',
                     str(tmp_path / 'test'), '--show-dir', 'vis', '--cfg-options', *opts],
                    timeout=600)
    # the visualisation hook drew predictions on the original images
    assert glob.glob(str(tmp_path / 'test' / '*' / 'vis' / '*.png'))
    log = proc.stdout + proc.stderr
    for key in EVERY_KEY:
        assert f'{key}: ' in log, key
    assert glob.glob(str(tmp_path / 'test' / '*' / '*.json'))  # scalars written
    # the learning curves, the run table and the trivial baselines of the same split
    run_tool(['tools/analysis_tools/analyze_logs.py', 'plot_curve', str(work), '--out',
              str(tmp_path / 'curves.png')])
    assert osp.getsize(tmp_path / 'curves.png') > 10000
    run_tool(['tools/analysis_tools/baselines.py', CFG, '--out', str(tmp_path / 'base.json'),
              '--cfg-options', *opts])
    import json
    base = json.loads((tmp_path / 'base.json').read_text())
    assert base['baseline/hand_pa_mpjpe'] > 0 and base['baseline/object_rot_error'] > 0
    table = run_tool(['tools/analysis_tools/compare_runs.py', str(work), '--baselines',
                      str(tmp_path / 'base.json')]).stdout
    assert '| work | 2 |' in table and '| trivial baseline |' in table


EVERY_KEY = [f'hand/{m}{s}' for m in ('mpjpe', 'rr_mpjpe', 'st_mpjpe', 'pa_mpjpe', 'mpvpe',
                                      'rr_mpvpe', 'pa_mpvpe') for s in ('', '_auc')] + \
    ['hand/f5', 'hand/f15', 'hand/pa_f5', 'hand/pa_f15'] + \
    [f'object/{m}' for m in ('center_error', 'corner_error', 'add', 'adds', 'add_acc',
                             'adds_acc', 'chamfer', 'rot_error', 'rot_error_median', 'mssd',
                             'mspd', 'add_s_auto', 'add_s_auto_acc')] + \
    [f'contact/{m}' for m in ('penetration_depth', 'intersection_volume', 'contact_ratio')]


def test_train_with_mixed_precision_and_channels_last(tmp_path, synthetic_root, mano_dir):
    """--amp (bf16 autocast on a CPU) and --channels-last train, log finite losses and save."""
    import re
    opts = synthetic_cfg_options(synthetic_root, mano_dir)
    work = tmp_path / 'work'
    proc = run_tool(['tools/train.py', CFG, '--work-dir', str(work), '--amp', '--channels-last',
                     '--cfg-options', *opts, *tiny_schedule(2)], timeout=600)
    log = proc.stdout + proc.stderr
    assert osp.isfile(work / 'iter_2.pth')
    losses = [float(v) for v in re.findall(r' loss: ([0-9.naif-]+)', log)]
    assert len(losses) == 2 and all(v == v and abs(v) < 1e6 for v in losses)
    cfg = open(glob.glob(str(work / '*' / 'vis_data' / 'config.py'))[0]).read()
    assert 'DeferredLogAmpOptimWrapper' in cfg and 'channels_last=True' in cfg
