import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
import torch
from mmengine.fileio import get_file_backend

from hoverse.engine import (AtomicLocalBackend, atomic_write_bytes, safe_load_checkpoint,
                            setup_checkpoint_io)
from tests.conftest import REPO

setup_checkpoint_io()


def test_mmengine_local_backend_is_atomic(tmp_path):
    assert isinstance(get_file_backend(str(tmp_path / 'x.pth')), AtomicLocalBackend)
    target = tmp_path / 'sub' / 'ckpt.pth'
    atomic_write_bytes(b'old', target)
    atomic_write_bytes(b'new', target)
    assert target.read_bytes() == b'new'
    assert os.listdir(tmp_path / 'sub') == ['ckpt.pth']  # no temporary file left


def test_a_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / 'ckpt.pth'
    atomic_write_bytes(b'old', target)

    def boom(fd):
        raise OSError('disk full')

    monkeypatch.setattr(os, 'fsync', boom)
    with pytest.raises(OSError, match='disk full'):
        atomic_write_bytes(b'new' * 1000, target)
    assert target.read_bytes() == b'old' and os.listdir(tmp_path) == ['ckpt.pth']


def test_sigkill_while_saving_leaves_the_previous_checkpoint_loadable(tmp_path):
    target = tmp_path / 'iter_4.pth'
    torch.save({'state_dict': {'w': torch.ones(3)}, 'meta': {}}, target)
    # a child saves a new checkpoint over it through mmengine and is killed mid-save
    # (after the bytes are written, before the rename: fsync is made to hang)
    child = textwrap.dedent(f'''
        import os, sys, time, torch
        sys.path.insert(0, {REPO!r})
        from hoverse.engine import setup_checkpoint_io
        setup_checkpoint_io()
        from mmengine.runner.checkpoint import save_checkpoint
        os.fsync = lambda fd: time.sleep(60)
        save_checkpoint({{'state_dict': {{'w': torch.zeros(3)}}, 'meta': {{}}}}, {str(target)!r})
    ''')
    proc = subprocess.Popen([sys.executable, '-c', child])
    deadline = time.time() + 60
    while not [f for f in os.listdir(tmp_path) if f.endswith('.tmp')]:
        assert proc.poll() is None and time.time() < deadline, 'the child never saved'
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    ckpt = safe_load_checkpoint(str(target), map_location='cpu')
    torch.testing.assert_close(ckpt['state_dict']['w'], torch.ones(3))


def test_a_full_disk_names_the_file_and_keeps_the_previous_one(tmp_path, monkeypatch):
    import errno
    target = tmp_path / 'iter_8.pth'
    atomic_write_bytes(b'old', target)

    def full(fd):
        raise OSError(errno.ENOSPC, 'No space left on device')
    monkeypatch.setattr(os, 'fsync', full)
    with pytest.raises(OSError, match=r"No space left on device while writing .*iter_8.pth"):
        atomic_write_bytes(b'new' * 1000, target)
    monkeypatch.undo()
    assert target.read_bytes() == b'old' and os.listdir(tmp_path) == ['iter_8.pth']
