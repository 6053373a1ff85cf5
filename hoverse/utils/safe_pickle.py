"""A restricted unpickler: only named globals resolve, everything else is refused by name.

Used for MANO model pickles and HO3D meta pickles, which are plain data (numpy arrays,
scipy sparse matrices, builtins) but come from outside: an unpickled file must not be able
to run code.
"""
import _compat_pickle
import io
import pickle
from typing import Any, Callable, Dict, Tuple

import numpy as np


class ForbiddenPickleGlobalError(pickle.UnpicklingError):
    """The pickle names a global outside the allow-list; nothing was executed."""


def _numpy_reconstruct():
    try:  # numpy >= 2
        from numpy._core.multiarray import _reconstruct, scalar
    except ImportError:  # numpy 1.x
        from numpy.core.multiarray import _reconstruct, scalar
    return _reconstruct, scalar


_RECONSTRUCT, _SCALAR = _numpy_reconstruct()

#: Globals any data pickle may use: numpy arrays/scalars/dtypes and plain builtins.
NUMPY_GLOBALS: Dict[Tuple[str, str], Any] = {
    ('numpy.core.multiarray', '_reconstruct'): _RECONSTRUCT,
    ('numpy._core.multiarray', '_reconstruct'): _RECONSTRUCT,
    ('numpy.core.multiarray', 'scalar'): _SCALAR,
    ('numpy._core.multiarray', 'scalar'): _SCALAR,
    ('numpy', 'ndarray'): np.ndarray,
    ('numpy', 'dtype'): np.dtype,
    ('_codecs', 'encode'): __import__('_codecs').encode,
    ('builtins', 'object'): object,
    ('__builtin__', 'object'): object,
    ('builtins', 'set'): set,
    ('builtins', 'frozenset'): frozenset,
    ('builtins', 'complex'): complex,
    ('collections', 'OrderedDict'): __import__('collections').OrderedDict,
}


class RestrictedUnpickler(pickle.Unpickler):
    """``pickle.Unpickler`` whose ``find_class`` resolves only ``allowed`` names.

    Args:
        file: binary file object.
        allowed: ``{(module, name): object}``; ``module`` as written in the pickle (Python 2
            names such as ``copy_reg`` are mapped by pickle before the lookup).
        prefix_handlers: ``{module_prefix: factory}`` for whole families of globals (e.g.
            ``chumpy``): ``factory(module, name)`` returns a stand-in class.
        what: a name for the file kind, used in errors.
    """

    def __init__(self, file, allowed: Dict[Tuple[str, str], Any],
                 prefix_handlers: Dict[str, Callable[[str, str], Any]] = None,
                 what: str = 'pickle', **kwargs: Any) -> None:
        super().__init__(file, **kwargs)
        self.allowed = allowed
        self.prefix_handlers = prefix_handlers or {}
        self.what = what

    def find_class(self, module: str, name: str) -> Any:
        # Python 2 names (``__builtin__``, ``copy_reg``) as pickle's own find_class maps them
        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        elif module in _compat_pickle.IMPORT_MAPPING:
            module = _compat_pickle.IMPORT_MAPPING[module]
        if (module, name) in self.allowed:
            return self.allowed[(module, name)]
        for prefix, factory in self.prefix_handlers.items():
            if module == prefix or module.startswith(prefix + '.'):
                return factory(module, name)
        raise ForbiddenPickleGlobalError(
            f'refused to load {self.what}: it names the global {module}.{name}, which is not '
            'on the allow-list of plain data types; nothing in it was executed')


def restricted_load(path_or_bytes, allowed: Dict[Tuple[str, str], Any] = None,
                    what: str = 'pickle', encoding: str = 'latin1',
                    prefix_handlers: Dict[str, Callable[[str, str], Any]] = None) -> Any:
    """Load a pickle (path or bytes) with :class:`RestrictedUnpickler`.

    ``encoding='latin1'`` reads Python 2 pickles (numpy arrays inside them included).
    """
    allowed = NUMPY_GLOBALS if allowed is None else allowed
    if isinstance(path_or_bytes, (bytes, bytearray)):
        return RestrictedUnpickler(io.BytesIO(path_or_bytes), allowed, prefix_handlers, what,
                                   encoding=encoding).load()
    with open(path_or_bytes, 'rb') as f:
        return RestrictedUnpickler(f, allowed, prefix_handlers, f'{what} {path_or_bytes!r}',
                                   encoding=encoding).load()
