"""The learning check passes extra arguments to training only, in order, and nothing else."""
import os
import stat
import subprocess

from tests.conftest import REPO

CONFIG = 'configs/hoverse/hoverse_r18_synthetic_long.py'


def _run_with_a_recording_python(tmp_path, *args: str) -> list:
    """Run learning_check.sh with PYTHON set to a stand-in that records each call's argv.

    Returns one list of arguments per call. The stand-in answers the data-root query with
    a folder that already holds a rendered set, so nothing is rendered.
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
                    'exit 0\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    env = dict(os.environ, PYTHON=str(fake), WORK_DIR=str(work))
    subprocess.run(['bash', 'tools/misc/learning_check.sh', CONFIG, *args], cwd=REPO,
                   env=env, check=True, capture_output=True, timeout=60)
    return [line.split('\x1f')[:-1] for line in calls.read_text().splitlines()]


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
