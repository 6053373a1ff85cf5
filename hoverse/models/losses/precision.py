"""Losses that must compute in float32 under mixed precision."""
import functools

import torch


def _to_float32(x):
    if torch.is_tensor(x) and x.is_floating_point():
        return x.float()
    if isinstance(x, (list, tuple)):
        return type(x)(_to_float32(v) for v in x)
    return x


def float32_forward(forward):
    """Run a loss's ``forward`` with autocast off and its floating-point tensor arguments
    (and lists of them) in float32: an arccos near 1, an SDF lookup or a millimetre
    contact threshold lose their meaning in bf16 (8 bits of mantissa) or fp16."""

    @functools.wraps(forward)
    def wrapper(self, *args, **kwargs):
        device = next((a.device.type for a in args if torch.is_tensor(a)), 'cpu')
        with torch.autocast(device_type=device, enabled=False):
            return forward(self, *[_to_float32(a) for a in args],
                           **{k: _to_float32(v) for k, v in kwargs.items()})
    return wrapper
