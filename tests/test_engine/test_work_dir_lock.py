import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from hoverse.engine import WorkDirBusyError, WorkDirLock
from tests.conftest import REPO, run_tool


def test_a_second_holder_is_refused_with_the_pid_and_can_take_it_after(tmp_path):
    first = WorkDirLock(str(tmp_path / 'w')).acquire()
    with pytest.raises(WorkDirBusyError, match=rf'PID {os.getpid()}\b.*another --work-dir'):
        WorkDirLock(str(tmp_path / 'w')).acquire()
    first.release()
    with WorkDirLock(str(tmp_path / 'w')):
        pass


def _holder(work_dir):
    code = textwrap.dedent(f'''
        import sys, time
        sys.path.insert(0, {REPO!r})
        from hoverse.engine.work_dir_lock import WorkDirLock
        WorkDirLock({work_dir!r}).acquire()
        print('held', flush=True)
        time.sleep(120)
    ''')
    proc = subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == 'held'
    return proc


def test_train_refuses_a_busy_work_dir_and_a_killed_holder_leaves_no_stale_lock(tmp_path):
    work = str(tmp_path / 'w')
    holder = _holder(work)
    try:
        proc = run_tool(['tools/train.py', 'configs/hoverse_plus/hoverse_plus_r18_synthetic.py',
                         '--work-dir', work], check=False, timeout=300)
        assert proc.returncode != 0
        assert f'PID {holder.pid}' in proc.stderr and 'in use' in proc.stderr
        assert not [f for f in os.listdir(work) if f.endswith('.log') or os.path.isdir(
            os.path.join(work, f))]  # it stopped before writing anything
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    time.sleep(0.1)
    with WorkDirLock(work):  # the kernel released it with the process
        pass
