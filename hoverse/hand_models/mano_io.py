"""Read MANO model pickles without chumpy, and without letting the file run code.

The official ``MANO_RIGHT.pkl`` (Python 2, protocol 2) stores some arrays as ``chumpy.ch.Ch``
objects and ``J_regressor`` as a scipy sparse matrix. chumpy is unmaintained and breaks on
numpy >= 1.24, so :func:`load_mano_pickle` maps every ``chumpy.*`` class to a stand-in that
keeps the object's state, then turns it into the numpy array held in ``state['x']``. Any other
global outside numpy/scipy-sparse/builtins is refused by name.
"""
import copyreg
from typing import Any, Dict

import numpy as np
import scipy.sparse as sp

from hoverse.utils.safe_pickle import NUMPY_GLOBALS, restricted_load

#: The arrays (and their shapes) that make a MANO model; ``None`` marks a free dimension.
MANO_ARRAY_SHAPES: Dict[str, tuple] = {
    'v_template': (778, 3),
    'f': (1538, 3),
    'J_regressor': (16, 778),
    'J': (16, 3),
    'kintree_table': (2, 16),
    'weights': (778, 16),
    'shapedirs': (778, 3, 10),
    'posedirs': (778, 3, 135),
    'hands_components': (45, 45),
    'hands_mean': (45, ),
}


class _StateStandIn:
    """Keeps the pickled state of a foreign object (chumpy, old scipy) for conversion."""
    _module = ''
    _name = ''

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._args = args

    def __setstate__(self, state: Any) -> None:
        self._state = state


def _stand_in_factory(module: str, name: str) -> type:
    return type(f'StandIn_{name}', (_StateStandIn, ), dict(_module=module, _name=name))


_SPARSE_NAMES = ('csc_matrix', 'csr_matrix', 'coo_matrix')
_MANO_GLOBALS = dict(NUMPY_GLOBALS)
_MANO_GLOBALS.update({
    ('copy_reg', '_reconstructor'): copyreg._reconstructor,
    ('copyreg', '_reconstructor'): copyreg._reconstructor,
    ('copyreg', '__newobj__'): copyreg.__newobj__,
})
for _mod in ('scipy.sparse', 'scipy.sparse.csc', 'scipy.sparse._csc', 'scipy.sparse.csr',
             'scipy.sparse._csr', 'scipy.sparse.coo', 'scipy.sparse._coo'):
    for _name in _SPARSE_NAMES:
        _MANO_GLOBALS[(_mod, _name)] = _stand_in_factory(_mod, _name)


def _convert(obj: Any, key: str) -> Any:
    """Turn stand-ins into numpy arrays / scipy matrices, recursively."""
    if isinstance(obj, _StateStandIn):
        state = getattr(obj, '_state', None)
        state = state[-1] if isinstance(state, tuple) else state  # (None, dict) slot states
        if obj._name in _SPARSE_NAMES:
            shape = state.get('_shape', state.get('shape'))
            if obj._name == 'coo_matrix':
                return sp.coo_matrix((state['data'], (state['row'], state['col'])), shape=shape)
            cls = sp.csc_matrix if obj._name == 'csc_matrix' else sp.csr_matrix
            return cls((state['data'], state['indices'], state['indptr']), shape=shape)
        if isinstance(state, dict) and 'x' in state:
            return np.asarray(state['x'])
        raise ValueError(
            f'MANO entry {key!r} is a {obj._module}.{obj._name} object without a stored value '
            "('x'); only plain chumpy arrays can be read without chumpy")
    if isinstance(obj, dict):
        return {k: _convert(v, k) for k, v in obj.items()}
    return obj


def load_mano_pickle(path: str) -> Dict[str, Any]:
    """Load an official (chumpy) or converted (numpy-only) MANO pickle as plain arrays.

    Returns:
        dict with at least the keys of :data:`MANO_ARRAY_SHAPES`; ``J_regressor`` stays a
        scipy sparse matrix when stored as one.

    Raises:
        ForbiddenPickleGlobalError: the file names a global outside the allow-list.
        ValueError: an array is missing or has the wrong shape (named).
    """
    data = restricted_load(path, _MANO_GLOBALS, what='MANO model',
                           prefix_handlers={'chumpy': _stand_in_factory})
    if not isinstance(data, dict):
        raise ValueError(f'MANO model {path!r} does not hold a dict (got {type(data).__name__})')
    data = _convert(data, '')
    check_mano_arrays(data, path)
    return data


def check_mano_arrays(data: Dict[str, Any], source: str = 'MANO model') -> None:
    """Raise ``ValueError`` naming the first missing or wrongly shaped MANO array."""
    for key, shape in MANO_ARRAY_SHAPES.items():
        if key not in data:
            raise ValueError(f'{source}: missing the array {key!r} (expected shape {shape})')
        got = tuple(np.shape(data[key]) if not sp.issparse(data[key]) else data[key].shape)
        if got != shape:
            raise ValueError(f'{source}: array {key!r} has shape {got}, expected {shape}')


def to_numpy_only(data: Dict[str, Any]) -> Dict[str, Any]:
    """A copy with every sparse matrix made dense and every array a plain ndarray."""
    out = {}
    for k, v in data.items():
        if sp.issparse(v):
            v = np.asarray(v.todense())
        elif isinstance(v, np.ndarray):
            v = np.array(v)
        out[k] = v
    return out
