"""The quickstart job sets aside a run whose checkpoint no longer fits the config."""
import glob
import os.path as osp
import shutil

import torch

from hoverse.engine import safe_load_checkpoint
from tests.conftest import load_script


def _job():
    return load_script('tools/misc/run_main_job.py', 'run_main_job')


def test_a_fitting_run_stays_a_stale_one_is_moved_not_deleted(tmp_path, r18_checkpoint):
    job = _job()
    work = tmp_path / 'work'
    work.mkdir()
    final = work / 'iter_600.pth'
    shutil.copy(r18_checkpoint['path'], final)
    job.set_aside_stale_run(str(work), str(final), r18_checkpoint['options'])
    assert final.is_file()  # fits: kept in place
    ckpt = safe_load_checkpoint(str(final), map_location='cpu')
    ckpt['state_dict'] = {k: v for k, v in ckpt['state_dict'].items()
                          if not k.startswith('cls_head.')}  # trained before the classifier
    torch.save(ckpt, final)
    job.set_aside_stale_run(str(work), str(final), r18_checkpoint['options'])
    assert not work.exists()
    moved = glob.glob(str(tmp_path / 'work.stale-*'))
    assert len(moved) == 1 and osp.isfile(osp.join(moved[0], 'iter_600.pth'))


def _parse_train_args(cmd, monkeypatch):
    """tools/train.py's own argument parser on ``cmd`` (without the interpreter)."""
    train = load_script('tools/train.py', 'train_tool')
    monkeypatch.setattr('sys.argv', cmd[1:])
    monkeypatch.setenv('LOCAL_RANK', '0')
    return train.parse_args()


def test_train_command_passes_the_schedule_amp_and_resume(monkeypatch):
    job = _job()
    cmd = job.train_command('w', 850, amp=True, resume=False)
    args = _parse_train_args(cmd, monkeypatch)
    assert args.config == job.CONFIG and args.work_dir == 'w'
    assert args.amp and args.resume is None
    assert args.cfg_options == {'train_cfg.max_iters': 850, 'train_cfg.val_interval': 850,
                                'default_hooks.checkpoint.interval': 850}
    args = _parse_train_args(job.train_command('w', 600, amp=False, resume=True), monkeypatch)
    assert not args.amp and args.resume == 'auto'
    assert args.cfg_options['train_cfg.max_iters'] == 600


def test_scores_print_beside_their_baselines(capsys):
    from hoverse.analysis.baselines import METRIC_BASELINES
    scores = {'hand/pa_mpjpe': 12.3, 'baseline/hand_pa_mpjpe': 15.04,
              'object/rot_acc_20': 39.7}  # no baseline for this one in the scores
    _job().print_scores(scores)
    lines = capsys.readouterr().out.splitlines()
    assert any('hand/pa_mpjpe' in ln and '12.3 mm' in ln and 'baseline/hand_pa_mpjpe 15.0'
               in ln for ln in lines)
    assert any('object/rot_acc_20' in ln and '39.7 %' in ln and 'n/a' in ln for ln in lines)
    assert not any('hand/rr_mpjpe' in ln for ln in lines)  # not scored: not printed
    assert {m for m, _, _ in METRIC_BASELINES} >= {'hand/pa_mpjpe', 'object/rot_acc_20'}
