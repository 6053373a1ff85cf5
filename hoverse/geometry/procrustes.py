"""Similarity Procrustes (Umeyama): the (s, R, t) that best maps one point set onto another."""
from typing import Tuple

import numpy as np
import torch


def similarity_procrustes(src: np.ndarray, dst: np.ndarray, allow_reflection: bool = False
                          ) -> Tuple[float, np.ndarray, np.ndarray]:
    """Least-squares ``s, R, t`` minimising ``||s R src_i + t - dst_i||^2``.

    Args:
        src, dst: ``(N, 3)`` corresponding points.
        allow_reflection: if False, ``det(R) = +1`` is enforced (Umeyama's correction).

    Returns:
        ``s`` (float), ``R (3, 3)``, ``t (3,)``.
    """
    src, dst = np.asarray(src, np.float64), np.asarray(dst, np.float64)
    mu_s, mu_d = src.mean(0), dst.mean(0)
    xs, xd = src - mu_s, dst - mu_d
    var_s = (xs**2).sum()
    U, S, Vt = np.linalg.svd(xd.T @ xs)
    D = np.eye(3)
    if not allow_reflection and np.linalg.det(U @ Vt) < 0:
        D[2, 2] = -1
    R = U @ D @ Vt
    s = float(np.trace(np.diag(S) @ D) / max(var_s, 1e-12))
    t = mu_d - s * R @ mu_s
    return s, R, t


def similarity_procrustes_torch(src: torch.Tensor, dst: torch.Tensor,
                                allow_reflection: bool = False
                                ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Batched torch version: ``src, dst (B, N, 3)`` -> ``s (B,)``, ``R (B, 3, 3)``,
    ``t (B, 3)``."""
    mu_s, mu_d = src.mean(1, keepdim=True), dst.mean(1, keepdim=True)
    xs, xd = src - mu_s, dst - mu_d
    var_s = (xs**2).sum((1, 2))
    U, S, Vh = torch.linalg.svd(xd.transpose(1, 2) @ xs)
    d = torch.ones_like(S)
    if not allow_reflection:
        d[:, 2] = torch.sign(torch.det(U @ Vh))
        d[:, 2] = torch.where(d[:, 2] == 0, torch.ones_like(d[:, 2]), d[:, 2])
    R = U @ torch.diag_embed(d) @ Vh
    s = (S * d).sum(1) / var_s.clamp(min=1e-12)
    t = mu_d[:, 0] - s[:, None] * (R @ mu_s[:, 0, :, None])[..., 0]
    return s, R, t
