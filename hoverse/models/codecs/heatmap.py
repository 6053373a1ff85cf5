"""Keypoint heatmap codec: GT keypoints -> Gaussian heatmaps, logits -> soft-argmax coordinates."""
from typing import Tuple

import torch


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
