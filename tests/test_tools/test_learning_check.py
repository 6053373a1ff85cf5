"""The learning check passes extra arguments to training only, in order, and nothing else."""
import os
import stat
import subprocess
from typing import Optional

from tests.conftest import REPO

CONFIG = 'configs/hoverse_plus/hoverse_plus_r18_synthetic_long.py'


def _run_with_a_recording_python(tmp_path, *args: str, cycles: Optional[str] = None,
                                 check: bool = True):
    """Run learning_check.sh with PYTHON set to a stand-in that records each call's argv.

    Returns one list of arguments per call (and, with ``check=False``, the finished
    process). The stand-in answers the data-root query with a folder that already holds a
    rendered set, so nothing is rendered, and a training call writes its work dir's
    ``last_checkpoint`` (``iter_1.pth`` there).
    """
    root = tmp_path / 'set'
    root.mkdir()
    (root / 'evaluation_xyz.json').write_text('[]')
    work = tmp_path / 'work'
    work.mkdir()
    (work / 'last_checkpoint').write_text(str(work / 'iter_1.pth'))
    calls = tmp_path / 'calls.txt'
    fake = tmp_path / 'python'
    fake.write_text('#!/usr/bin/env bash\n'
                    f'printf "%s\\x1f" "$@" >> {calls}; echo >> {calls}\n'
                    f'[ "$1" = "-c" ] && echo {root}\n'
                    'if [ "$1" = tools/train.py ]; then\n'
                    '  while [ $# -gt 0 ]; do\n'
                    '    if [ "$1" = --work-dir ]; then\n'
                    '      mkdir -p "$2"; echo "$2/iter_1.pth" > "$2/last_checkpoint"; fi\n'
                    '    shift; done; fi\n'
                    'exit 0\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    env = {k: v for k, v in os.environ.items() if k != 'CYCLES'}  # None: unset
    env.update(PYTHON=str(fake), WORK_DIR=str(work), **({} if cycles is None else
                                                        dict(CYCLES=cycles)))
    done = subprocess.run(['bash', 'tools/misc/learning_check.sh', CONFIG, *args], cwd=REPO,
                          env=env, check=check, capture_output=True, timeout=60, text=True)
    recorded = [line.split('\x1f')[:-1] for line in calls.read_text().splitlines()]
    return recorded if check else (recorded, done)


def _call(calls: list, script: str) -> list:
    found = [c for c in calls if c and c[0] == script]
    assert len(found) == 1, (script, calls)
    return found[0]


def test_extra_arguments_reach_train_only(tmp_path):
    calls = _run_with_a_recording_python(
        tmp_path, '2', '5000', '--amp', '--cfg-options', 'train_cfg.max_iters=3200')
    train = _call(calls, 'tools/train.py')
    assert train == ['tools/train.py', CONFIG, '--work-dir', str(tmp_path / 'work'),
                     '--amp', '--cfg-options', 'train_cfg.max_iters=3200']
    test = _call(calls, 'tools/test.py')
    assert '--amp' not in test and 'train_cfg.max_iters=3200' not in test
    assert test[2] == str(tmp_path / 'work' / 'iter_1.pth')
    # the rendered set is there: no rendering call
    assert not [c for c in calls if c and c[0] == 'tools/misc/make_synthetic_dataset.py']


def test_without_extra_arguments_train_gets_only_the_config(tmp_path):
    for positional in ([], ['2'], ['2', '5000']):
        case = tmp_path / f'{len(positional)}_positional'
        case.mkdir()
        train = _call(_run_with_a_recording_python(case, *positional), 'tools/train.py')
        assert train == ['tools/train.py', CONFIG, '--work-dir', str(case / 'work')]


def test_cycles_train_each_from_the_last_checkpoint_of_the_one_before(tmp_path):
    calls = _run_with_a_recording_python(tmp_path, '2', '5000', '--amp',
                                         cycles='3200:1e-3 2500:3e-4')
    work = tmp_path / 'work'
    trains = [c for c in calls if c and c[0] == 'tools/train.py']
    assert len(trains) == 2
    first, second = trains
    assert first[:6] == ['tools/train.py', CONFIG, '--work-dir', str(work / 'cycle1'), '--amp',
                         '--cfg-options']
    assert first[6:] == ['train_cfg.max_iters=3200', 'train_cfg.val_interval=1600',
                         'default_hooks.checkpoint.interval=1600',
                         'optim_wrapper.optimizer.lr=1e-3']  # the first starts afresh
    assert second[3] == str(work / 'cycle2') and '--amp' in second
    assert second[6:] == ['train_cfg.max_iters=2500', 'train_cfg.val_interval=1250',
                          'default_hooks.checkpoint.interval=1250',
                          'optim_wrapper.optimizer.lr=3e-4',
                          f'load_from={work / "cycle1" / "iter_1.pth"}']
    assert _call(calls, 'tools/test.py')[2] == str(work / 'cycle2' / 'iter_1.pth')
    curves = [c for c in calls if c and c[0] == 'tools/analysis_tools/analyze_logs.py']
    assert [c[2] for c in curves] == [str(work / 'cycle1'), str(work / 'cycle2')]


def test_blank_cycles_train_once(tmp_path):
    train = _call(_run_with_a_recording_python(tmp_path, cycles=' \t'), 'tools/train.py')
    assert train == ['tools/train.py', CONFIG, '--work-dir', str(tmp_path / 'work')]


def test_a_bad_cycle_is_named_before_anything_trains(tmp_path):
    for bad in ('2500:3e-4 2500', '1:1e-3', 'x:1e-3'):
        case = tmp_path / bad.replace(' ', '_').replace(':', '-')
        case.mkdir()
        calls, done = _run_with_a_recording_python(case, cycles=bad, check=False)
        assert done.returncode == 2 and 'CYCLES' in done.stderr, bad
        assert not [c for c in calls if c and c[0] == 'tools/train.py'], bad
