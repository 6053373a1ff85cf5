"""CFSM: cross-feature supplementation between the hand and object branches."""
import math
from typing import Dict

import torch
import torch.nn as nn
import torch.nn.functional as F

from hoverse.registry import MODELS


def sine_position_2d(h: int, w: int, dim: int, device, dtype) -> torch.Tensor:
    """Fixed 2D sinusoidal position code ``(h * w, dim)``."""
    q = dim // 4
    freq = torch.exp(torch.arange(q, device=device, dtype=dtype) * (-math.log(1e4) / q))
    ys, xs = torch.meshgrid(torch.arange(h, device=device, dtype=dtype),
                            torch.arange(w, device=device, dtype=dtype), indexing='ij')
    parts = [torch.sin(xs.flatten()[:, None] * freq), torch.cos(xs.flatten()[:, None] * freq),
             torch.sin(ys.flatten()[:, None] * freq), torch.cos(ys.flatten()[:, None] * freq)]
    pe = torch.cat(parts, 1)
    return F.pad(pe, (0, dim - pe.shape[1]))


class _CrossBlock(nn.Module):
    """Pre-norm cross attention (queries from one branch, keys/values from the other) + FFN."""

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.nq, self.nkv, self.nf = nn.LayerNorm(dim), nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ffn = nn.Sequential(nn.Linear(dim, dim * 2), nn.GELU(), nn.Linear(dim * 2, dim))

    def forward(self, q: torch.Tensor, kv: torch.Tensor, pos: torch.Tensor) -> torch.Tensor:
        kvn = self.nkv(kv)
        delta = self.attn(self.nq(q) + pos, kvn + pos, kvn, need_weights=False)[0]
        x = q + delta
        return x + self.ffn(self.nf(x))


@MODELS.register_module()
class CFSM(nn.Module):
    """Cross-feature supplementation module.

    1. Gated residual fusion of each branch's primary map ``P`` with its secondary map ``S``
       (from D-BFAM, when present): ``P + sigmoid(conv[P, S]) * conv(S)``.
    2. Multi-head cross attention on pooled tokens: hand tokens query object tokens and
       object tokens query hand tokens (computed from the same inputs, so symmetric).
    3. The attention output is upsampled and added back to each map.

    ``forward(dict)`` replaces ``'hand'`` and ``'object'`` with the supplemented maps
    ``(B, C, h, w)``. ``use_gate`` / ``use_attention`` switch step 1 / steps 2-3 off
    (ablations).
    """

    def __init__(self, channels: int = 256, num_heads: int = 4, token_stride: int = 2,
                 use_gate: bool = True, use_attention: bool = True) -> None:
        super().__init__()
        if not (use_gate or use_attention):
            raise ValueError('CFSM with neither its gate nor its attention does nothing; '
                             'remove the neck instead (model.cfsm=None)')
        self.token_stride = token_stride
        self.use_gate, self.use_attention = use_gate, use_attention
        if use_gate:
            self.gate = nn.ModuleDict({k: nn.Conv2d(2 * channels, channels, 1)
                                       for k in ('hand', 'object')})
            self.proj = nn.ModuleDict({k: nn.Conv2d(channels, channels, 1)
                                       for k in ('hand', 'object')})
        if use_attention:
            self.h_from_o = _CrossBlock(channels, num_heads)
            self.o_from_h = _CrossBlock(channels, num_heads)

    def forward(self, feats: Dict[str, torch.Tensor], input_size: float = 256.0
                ) -> Dict[str, torch.Tensor]:
        out = dict(feats)
        maps = {}
        for k in ('hand', 'object'):
            p, s = feats[k], feats.get(f'{k}_secondary')
            if self.use_gate and s is not None:
                p = p + torch.sigmoid(self.gate[k](torch.cat([p, s], 1))) * self.proj[k](s)
            maps[k] = p
        if not self.use_attention:
            out.update(maps)
            return out
        B, C, h, w = maps['hand'].shape
        pool = (lambda x: F.avg_pool2d(x, self.token_stride)) if self.token_stride > 1 else (
            lambda x: x)
        th, to = pool(maps['hand']), pool(maps['object'])
        hh, ww = th.shape[-2:]
        th, to = th.flatten(2).transpose(1, 2), to.flatten(2).transpose(1, 2)
        pos = sine_position_2d(hh, ww, C, th.device, th.dtype)[None]
        new_h = self.h_from_o(th, to, pos)
        new_o = self.o_from_h(to, th, pos)
        for k, tok, old in (('hand', new_h, th), ('object', new_o, to)):
            delta = (tok - old).transpose(1, 2).reshape(B, C, hh, ww)
            out[k] = maps[k] + F.interpolate(delta, size=(h, w), mode='bilinear',
                                             align_corners=False)
        return out
