"""A batch collation that crosses from a data-loader worker to the trainer in one piece.

``pseudo_collate`` (mmengine's default) keeps every sample's tensors apart: a batch of 32
samples holds some 600 tensors, and a worker sends each through its own shared-memory
segment, one file descriptor apiece. On the 2 reference cores that hand-over costs more
than the transforms themselves (docs/benchmarks.md). :func:`compact_collate` gives the
same batch, but when it leaves a worker it is pickled as one byte string, every CPU tensor
as a NumPy array inside it, and the trainer's process gets back an ordinary ``dict``
whose tensors own writable memory. Without workers (``num_workers=0``) it is the batch
itself, a ``dict``.
"""
import copyreg
import io
import pickle
from typing import Any, Dict, Sequence, Tuple

import numpy as np
import torch
from mmengine.dataset import pseudo_collate

from hoverse.registry import FUNCTIONS


def _tensor_from_array(array: np.ndarray) -> torch.Tensor:
    """The tensor of a pickled array (copied where the unpickled buffer is read-only)."""
    return torch.from_numpy(array if array.flags.writeable else array.copy())


def _reduce_tensor(t: torch.Tensor) -> Tuple:
    """A CPU tensor as a NumPy array, which pickles as one contiguous block of bytes.
    Tensors NumPy cannot hold (bfloat16, on a device, needing gradients) keep torch's own
    reduction."""
    if t.device.type != 'cpu' or t.requires_grad or t.dtype == torch.bfloat16:
        return t.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
    return _tensor_from_array, (t.numpy(),)


class _ArrayTensorPickler(pickle.Pickler):
    """A pickler that writes CPU tensors as NumPy arrays (:func:`_reduce_tensor`)."""
    dispatch_table = copyreg.dispatch_table.copy()
    dispatch_table[torch.Tensor] = _reduce_tensor


def dumps_batch(batch: Any) -> bytes:
    """``batch`` pickled as one byte string, CPU tensors as arrays inside it."""
    buf = io.BytesIO()
    _ArrayTensorPickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(batch)
    return buf.getvalue()


def loads_batch(blob: bytes) -> Dict:
    """The batch that :func:`dumps_batch` wrote (a plain ``dict``, as
    :meth:`CompactBatch.__reduce__` pickles one)."""
    return pickle.loads(blob)


class CompactBatch(dict):
    """A collated batch (a ``dict``) that pickles as one byte string (:func:`dumps_batch`)
    and unpickles as a plain ``dict``."""

    def __reduce__(self) -> Tuple:
        return loads_batch, (dumps_batch(dict(self)),)


@FUNCTIONS.register_module()
def compact_collate(data_batch: Sequence[Dict]) -> CompactBatch:
    """``pseudo_collate`` of ``data_batch`` (lists of per-sample inputs and data samples),
    sent from a worker as one byte string (:class:`CompactBatch`). Set it as a data
    loader's ``collate_fn=dict(type='hoverse.compact_collate')`` (the scope is needed:
    mmengine's Runner looks collate functions up in its own registry)."""
    batch = pseudo_collate(data_batch)
    if not isinstance(batch, dict):
        raise TypeError(f'compact_collate: the samples must be dicts (a pipeline ending in '
                        f'PackHandObjectInputs), got {type(data_batch[0]).__name__}')
    return CompactBatch(batch)
