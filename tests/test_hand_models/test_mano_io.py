import pickle
import sys
import types

import numpy as np
import pytest
import scipy.sparse as sp

from hoverse.hand_models import build_surrogate_mano, load_mano_pickle
from hoverse.utils.safe_pickle import ForbiddenPickleGlobalError


def _fake_chumpy_module():
    """Modules named like chumpy's, holding a Ch class pickled as ``chumpy.ch.Ch``."""
    pkg = types.ModuleType('chumpy')
    mod = types.ModuleType('chumpy.ch')

    class Ch:
        def __init__(self, x):
            self.x = np.asarray(x)
            self._dirty_vars = set()
            self._itr = None

    Ch.__module__ = 'chumpy.ch'
    Ch.__qualname__ = 'Ch'
    mod.Ch = Ch
    pkg.ch = mod
    return pkg, mod


def _chumpy_pickle(tmp_path):
    data = build_surrogate_mano()
    pkg, mod = _fake_chumpy_module()
    sys.modules['chumpy'], sys.modules['chumpy.ch'] = pkg, mod
    try:
        for key in ('shapedirs', 'J', 'v_template', 'weights', 'hands_components'):
            data[key] = mod.Ch(data[key])
        path = tmp_path / 'MANO_RIGHT.pkl'
        with open(path, 'wb') as f:
            pickle.dump(data, f, protocol=2)
    finally:
        del sys.modules['chumpy'], sys.modules['chumpy.ch']
    return path


def test_reads_chumpy_pickle_without_chumpy(tmp_path):
    path = _chumpy_pickle(tmp_path)
    assert b'chumpy.ch' in path.read_bytes()
    assert 'chumpy' not in sys.modules
    data = load_mano_pickle(str(path))
    ref = build_surrogate_mano()
    for key in ('shapedirs', 'J', 'v_template', 'weights'):
        assert isinstance(data[key], np.ndarray)
        np.testing.assert_array_equal(data[key], ref[key])
    assert sp.issparse(data['J_regressor'])


class _SystemPayload:

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        import os
        return (os.system, (f'touch {self.marker}', ))


def test_refuses_payload_that_calls_os_system(tmp_path):
    marker = tmp_path / 'executed'
    data = build_surrogate_mano()
    data['evil'] = _SystemPayload(str(marker))
    path = tmp_path / 'MANO_RIGHT.pkl'
    with open(path, 'wb') as f:
        pickle.dump(data, f, protocol=2)
    with pytest.raises(ForbiddenPickleGlobalError, match=r'(posix|os)\.system'):
        load_mano_pickle(str(path))
    assert not marker.exists()


def test_wrong_shape_is_named(tmp_path):
    data = build_surrogate_mano()
    data['shapedirs'] = data['shapedirs'][:, :, :5]
    path = tmp_path / 'bad.pkl'
    with open(path, 'wb') as f:
        pickle.dump(data, f, protocol=2)
    with pytest.raises(ValueError, match=r"'shapedirs' has shape \(778, 3, 5\), expected"):
        load_mano_pickle(str(path))


def test_convert_tool_writes_numpy_only_file(tmp_path):
    from tests.conftest import run_tool
    src = _chumpy_pickle(tmp_path)
    dst = tmp_path / 'clean' / 'MANO_RIGHT.pkl'
    run_tool(['tools/misc/convert_mano.py', str(src), str(dst)])
    assert b'chumpy' not in dst.read_bytes() and b'scipy' not in dst.read_bytes()
    with open(dst, 'rb') as f:
        data = pickle.load(f)
    assert isinstance(data['J_regressor'], np.ndarray) and data['J_regressor'].shape == (16, 778)
    from hoverse.hand_models import MANOLayer
    assert MANOLayer(str(dst)).num_verts == 778
