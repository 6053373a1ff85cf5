"""Safe checkpoint loading for torch >= 2.6 with mmengine 0.10.x.

torch.load now defaults to ``weights_only=True``. mmengine's checkpoints hold a few
non-tensor objects (``HistoryBuffer`` in the message hub, numpy arrays and scalars in
the log history), which that unpickler refuses. We keep ``weights_only=True`` and allow
exactly those globals, so a checkpoint from a stranger still cannot run code: any other
global is refused with :class:`UnsafeCheckpointError` naming it.
"""
import os.path as osp
import pickle
import re
from typing import Any, List, Optional

import numpy as np
import torch
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

__all__ = ['SAFE_CHECKPOINT_GLOBALS', 'UnsafeCheckpointError', 'safe_load_checkpoint',
           'register_safe_checkpoint_loader']


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint holds a global that is not on the allow-list; nothing was executed."""


class CorruptCheckpointError(RuntimeError):
    """A checkpoint file that is truncated or not a torch checkpoint at all."""


def _numpy_globals() -> List[Any]:
    """numpy objects that mmengine's logs put into a checkpoint (arrays, scalars, dtypes)."""
    try:  # numpy >= 2
        from numpy._core import multiarray
    except ImportError:  # numpy 1.x
        from numpy.core import multiarray
    out: List[Any] = [multiarray._reconstruct, multiarray.scalar, np.ndarray, np.dtype]
    dtypes = getattr(np, 'dtypes', None)
    if dtypes is not None:
        for name in ('Float16DType', 'Float32DType', 'Float64DType', 'Int8DType', 'Int16DType',
                     'Int32DType', 'Int64DType', 'UInt8DType', 'UInt16DType', 'UInt32DType',
                     'UInt64DType', 'BoolDType', 'LongDType', 'ULongDType', 'LongLongDType',
                     'ULongLongDType'):
            if hasattr(dtypes, name):
                dtype_cls = getattr(dtypes, name)
                if dtype_cls not in out:  # some names alias one class
                    out.append(dtype_cls)
    return out


_HISTORY_BUFFER_METHODS = frozenset({'min', 'max', 'current', 'mean'})


def _history_buffer_getattr(obj: Any, name: str) -> Any:
    """Stands in for ``builtins.getattr`` while unpickling, and resolves only what mmengine
    pickles through it: ``HistoryBuffer``'s statistics methods (``HistoryBuffer.mean`` ...).
    A general ``getattr`` would let a payload walk from any allowed object to ``os.system``.
    """
    allowed = _HISTORY_BUFFER_METHODS | set(HistoryBuffer._statistics_methods)
    if obj is HistoryBuffer and name in allowed:
        return getattr(obj, name)
    raise UnsafeCheckpointError(
        f'checkpoint asks for getattr({obj!r}, {name!r}); only HistoryBuffer statistics '
        'methods may be looked up while loading a checkpoint')


#: Every global (beyond torch's own defaults) that a hoverse/mmengine checkpoint may hold.
#: ``builtins.getattr`` maps to a restricted stand-in (see ``_history_buffer_getattr``).
SAFE_CHECKPOINT_GLOBALS: List[Any] = [HistoryBuffer] + _numpy_globals() + [
    (_history_buffer_getattr, 'builtins.getattr')
]

_GLOBAL_RE = re.compile(r'GLOBAL ([\w\.]+)')
_REASON_RE = re.compile(r'WeightsUnpickler error:(.*?)(?:Check the documentation|$)', re.S)


def safe_load_checkpoint(filename: str, map_location: Optional[Any] = None) -> Any:
    """``torch.load(filename, weights_only=True)`` with the hoverse allow-list.

    Raises:
        FileNotFoundError: ``filename`` does not exist.
        UnsafeCheckpointError: the file holds a global outside the allow-list (named).
        CorruptCheckpointError: the file is truncated or not a checkpoint (named).
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint {filename!r} can not be found.')
    try:
        # a process-wide set add (idempotent); the safe_globals context manager would
        # remove these again on exit, also for other callers
        torch.serialization.add_safe_globals(SAFE_CHECKPOINT_GLOBALS)
        return torch.load(filename, map_location=map_location, weights_only=True)
    except (RuntimeError, EOFError) as err:
        raise CorruptCheckpointError(
            f'checkpoint {filename!r} ({osp.getsize(filename)} bytes) is truncated or not a '
            f'torch checkpoint: {str(err).splitlines()[0]}') from None
    except pickle.UnpicklingError as err:
        if any(m in str(err) for m in ('Unsupported operand', 'invalid load key')):
            raise CorruptCheckpointError(
                f'checkpoint {filename!r} ({osp.getsize(filename)} bytes) is not a torch '
                'checkpoint (unreadable pickle data). Nothing in it was executed.') from None
        match = _GLOBAL_RE.search(str(err))
        if match is None:  # refused by a stand-in or by torch for another reason
            reason = _REASON_RE.search(str(err))
            raise UnsafeCheckpointError(
                f'refused to load checkpoint {filename!r}: '
                f'{reason.group(1).strip() if reason else err}. Nothing in it was executed.'
            ) from None
        name = match.group(1)
        raise UnsafeCheckpointError(
            f'refused to load checkpoint {filename!r}: it holds the global {name!r}, which is '
            'not on the allow-list of objects a hoverse/mmengine checkpoint may contain '
            '(hoverse.engine.checkpoint.SAFE_CHECKPOINT_GLOBALS). Nothing in it was executed. '
            'Load it only if you trust its source and know why it holds that object.') from None


def register_safe_checkpoint_loader() -> None:
    """Allow-list mmengine's checkpoint globals for every ``torch.load(weights_only=True)``
    in this process, and make mmengine's local-file loader use :func:`safe_load_checkpoint`
    (which names a refused global)."""
    torch.serialization.add_safe_globals(SAFE_CHECKPOINT_GLOBALS)
    CheckpointLoader.register_scheme(prefixes='', loader=safe_load_checkpoint, force=True)
