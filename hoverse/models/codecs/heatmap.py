"""Keypoint heatmap codec: GT keypoints -> Gaussian heatmaps, logits -> soft-argmax coordinates."""
from typing import Sequence, Tuple, Union

import torch

from hoverse.registry import KEYPOINT_CODECS


def encode_gaussian_heatmaps(kpts: torch.Tensor, size: Tuple[int, int], stride: float,
                             sigma: float = 1.5) -> torch.Tensor:
    """``kpts (B, K, 2)`` input pixels -> ``(B, K, h, w)`` Gaussians (peak 1) on the
    ``stride``-downsampled grid; ``sigma`` in heatmap pixels."""
    h, w = size
    ys = torch.arange(h, dtype=kpts.dtype, device=kpts.device)
    xs = torch.arange(w, dtype=kpts.dtype, device=kpts.device)
    c = kpts / stride - 0.5 * (stride - 1) / stride  # pixel centres -> heatmap cells
    gx = torch.exp(-(xs[None, None] - c[..., 0:1])**2 / (2 * sigma**2))  # (B, K, w)
    gy = torch.exp(-(ys[None, None] - c[..., 1:2])**2 / (2 * sigma**2))  # (B, K, h)
    return gy[..., :, None] * gx[..., None, :]


def soft_argmax_2d(logits: torch.Tensor, stride: float, beta: float = 1.0
                   ) -> Tuple[torch.Tensor, torch.Tensor]:
    """``logits (B, K, h, w)`` -> ``(coords (B, K, 2) input pixels, probs (B, K, h, w))``.

    Differentiable expectation of the softmax over each map (inverse of the encoder's
    cell convention).
    """
    B, K, h, w = logits.shape
    probs = torch.softmax(logits.flatten(2) * beta, -1).view(B, K, h, w)
    xs = torch.arange(w, dtype=logits.dtype, device=logits.device)
    ys = torch.arange(h, dtype=logits.dtype, device=logits.device)
    x = (probs.sum(2) * xs).sum(-1)
    y = (probs.sum(3) * ys).sum(-1)
    coords = torch.stack([x, y], -1) * stride + 0.5 * (stride - 1)
    return coords, probs


def _pair(v: Union[int, Sequence[int]]) -> Tuple[int, int]:
    return (int(v), int(v)) if isinstance(v, (int, float)) else (int(v[0]), int(v[1]))


@KEYPOINT_CODECS.register_module()
class SoftArgmaxHeatmap:
    """The one heatmap codec of a model: Gaussian targets and soft-argmax decoding on a
    ``heatmap_size`` grid over an ``input_size`` crop (both ``(w, h)`` or one int).

    ``encode(kpts (B, K, 2) crop pixels) -> (B, K, h, w)``; ``decode(logits (B, K, h, w))
    -> (coords (B, K, 2) crop pixels, probs)``. Decoding maps of another size is an error
    naming both sizes, not a silently rescaled result.
    """

    def __init__(self, input_size: Union[int, Sequence[int]] = 256,
                 heatmap_size: Union[int, Sequence[int]] = 32, sigma: float = 1.5,
                 beta: float = 1.0) -> None:
        self.input_size, self.heatmap_size = _pair(input_size), _pair(heatmap_size)
        sx = self.input_size[0] / self.heatmap_size[0]
        sy = self.input_size[1] / self.heatmap_size[1]
        if abs(sx - sy) > 1e-6:
            raise ValueError(f'SoftArgmaxHeatmap: input_size {self.input_size} and heatmap_size '
                             f'{self.heatmap_size} give different strides in x ({sx}) and y '
                             f'({sy}); expected one stride')
        self.stride, self.sigma, self.beta = sx, sigma, beta

    def check(self, size: Tuple[int, int], what: str = 'heatmaps') -> None:
        """Raise unless ``size (h, w)`` is this codec's heatmap size."""
        w, h = self.heatmap_size
        if tuple(size) != (h, w):
            raise ValueError(f'{what} are {tuple(size)} (h, w) but the codec expects {(h, w)} '
                             f'({self.input_size[0]} px crops at stride {self.stride:g}); '
                             'set the codec (model.codec) to match the input size and the '
                             "backbone's output stride")

    def encode(self, kpts: torch.Tensor) -> torch.Tensor:
        w, h = self.heatmap_size
        return encode_gaussian_heatmaps(kpts, (h, w), self.stride, self.sigma)

    def decode(self, logits: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        self.check(logits.shape[-2:], 'heatmap logits')
        return soft_argmax_2d(logits, self.stride, self.beta)
