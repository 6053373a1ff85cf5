import os
import pickle

import numpy as np
import pytest
import torch
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import _load_checkpoint

from hoverse.engine import UnsafeCheckpointError, safe_load_checkpoint, setup_checkpoint_io

setup_checkpoint_io()  # what tools/train.py and the runtime config's CheckpointIOHook do

MARKER = 'hoverse_pwned_marker'


class _Payload:
    """Unpickling this calls os.system (creates a marker file) if anything lets it run."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.system, (f'touch {self.path}', ))


def test_mmengine_style_checkpoint_loads_with_weights_only(tmp_path):
    buf = HistoryBuffer()
    buf.update(1.5)
    ckpt = dict(state_dict=dict(w=torch.ones(2)),
                meta=dict(epoch=1, log=np.array([1.0, 2.0]), step=np.int64(3),
                          hub=dict(loss=buf)))
    path = tmp_path / 'ok.pth'
    torch.save(ckpt, path)
    out = _load_checkpoint(str(path), map_location='cpu')  # mmengine's entry point
    assert torch.equal(out['state_dict']['w'], torch.ones(2))
    assert out['meta']['hub']['loss'].current() == 1.5
    assert np.array_equal(out['meta']['log'], [1.0, 2.0]) and out['meta']['step'] == 3


def test_forbidden_global_is_refused_and_not_executed(tmp_path):
    marker = tmp_path / MARKER
    path = tmp_path / 'evil.pth'
    torch.save(dict(state_dict={}, meta=dict(x=_Payload(marker))), path)
    with pytest.raises(UnsafeCheckpointError) as err:
        _load_checkpoint(str(path), map_location='cpu')
    assert 'system' in str(err.value) and str(path) in str(err.value)
    assert not marker.exists()
    assert isinstance(err.value, pickle.UnpicklingError)


def test_missing_checkpoint_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        safe_load_checkpoint(str(tmp_path / 'nope.pth'))


class _GetattrPayload:
    """Reaches os.system through builtins.getattr, which the allow-list must not open."""

    def __reduce__(self):
        return (getattr, (HistoryBuffer, '__init__'))


def test_getattr_stand_in_refuses_other_lookups(tmp_path):
    path = tmp_path / 'getattr.pth'
    torch.save(dict(meta=dict(x=_GetattrPayload())), path)
    with pytest.raises(UnsafeCheckpointError, match='__init__'):
        safe_load_checkpoint(str(path))


def test_plain_torch_load_accepts_mmengine_checkpoint_after_setup(tmp_path):
    buf = HistoryBuffer()
    buf.update(2.0)
    path = tmp_path / 'hub.pth'
    torch.save(dict(hub=buf), path)
    assert torch.load(path, weights_only=True)['hub'].mean() == 2.0


def test_a_truncated_checkpoint_is_named(tmp_path):
    from hoverse.engine import CorruptCheckpointError
    good = tmp_path / 'good.pth'
    torch.save(dict(state_dict=dict(w=torch.ones(1000))), good)
    bad = tmp_path / 'half.pth'
    bad.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(CorruptCheckpointError, match=r"half\.pth' \(2000 bytes\) is truncated"):
        safe_load_checkpoint(str(bad))
    (tmp_path / 'text.pth').write_text('not a checkpoint')
    with pytest.raises(CorruptCheckpointError, match='text.pth'):
        safe_load_checkpoint(str(tmp_path / 'text.pth'))
