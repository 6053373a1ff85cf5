"""The pose among an object's symmetric equivalents that is nearest a given rotation (torch).

An object with symmetry transforms ``S = (R_s, t_s)`` (model frame, ``X' = R_s X + t_s``)
looks the same at pose ``(R, t)`` and at ``(R R_s, R t_s + t)``. Losses and metrics compare a
prediction with the equivalent of the ground truth nearest to it. Continuous symmetries are
resolved in closed form: the angle ``theta`` about the unit axis ``a`` that maximises
``tr(R_pred^T R_base C(theta))`` is ``atan2(B, A)`` with ``N = R_pred^T R_base``,
``A = tr N - a^T N a`` and ``B = tr(N [a]_x)``; the geodesic angle is monotone in that trace,
so this is also the nearest rotation.
"""
from dataclasses import dataclass
from typing import Dict, Sequence, Tuple

import numpy as np
import torch

from .mirror import mirror_points, mirror_rotation


@dataclass
class SymmetryBatch:
    """The symmetries of a batch of objects (model frames, metres).

    Attributes:
        disc_rot: ``(B, D, 3, 3)`` discrete symmetry rotations, identity first, padded with
            the identity; disc_trans: ``(B, D, 3)``; disc_valid: ``(B, D)`` bool.
        axis: ``(B, 3)`` unit axis of a continuous symmetry (any value where ``has_axis`` is
            False); axis_offset: ``(B, 3)`` a point on it; has_axis: ``(B,)`` bool.
        full: ``(B,)`` bool, fully symmetric (rotation unobservable); center: ``(B, 3)``
            its centre of symmetry.
    """
    disc_rot: torch.Tensor
    disc_trans: torch.Tensor
    disc_valid: torch.Tensor
    axis: torch.Tensor
    axis_offset: torch.Tensor
    has_axis: torch.Tensor
    full: torch.Tensor
    center: torch.Tensor

    @classmethod
    def none(cls, batch: int, device=None, dtype=torch.float32) -> 'SymmetryBatch':
        """No symmetry for any of ``batch`` objects."""
        z3 = torch.zeros(batch, 3, device=device, dtype=dtype)
        return cls(torch.eye(3, device=device, dtype=dtype).expand(batch, 1, 3, 3),
                   torch.zeros(batch, 1, 3, device=device, dtype=dtype),
                   torch.ones(batch, 1, dtype=torch.bool, device=device), z3, z3,
                   torch.zeros(batch, dtype=torch.bool, device=device),
                   torch.zeros(batch, dtype=torch.bool, device=device), z3)


def symmetry_tensors(sym, center: np.ndarray) -> Dict[str, torch.Tensor]:
    """One object's symmetry (an :class:`~hoverse.objects.object_symmetry.ObjectSymmetry`) and
    centre ``(3,)`` as float32 tensors, for :func:`stack_symmetries`. Only the first
    continuous axis is kept (two non-parallel axes make the object fully symmetric)."""
    f = dict(dtype=torch.float32)
    disc = torch.as_tensor(np.asarray(sym.discrete), **f)
    has_axis = len(sym.axes) > 0
    return dict(disc_rot=disc[:, :3, :3], disc_trans=disc[:, :3, 3],
                axis=torch.as_tensor(sym.axes[0] if has_axis else [0, 0, 1.0], **f),
                axis_offset=torch.as_tensor(sym.offsets[0] if has_axis else [0, 0, 0.0], **f),
                has_axis=torch.tensor(has_axis), full=torch.tensor(bool(sym.fully_symmetric)),
                center=torch.as_tensor(np.asarray(center), **f))


def stack_symmetries(syms: Sequence[Dict[str, torch.Tensor]], mirrored: Sequence[bool],
                     device=None) -> SymmetryBatch:
    """Batch :func:`symmetry_tensors` outputs (on ``device``), padding the discrete sets
    with the identity (marked invalid). A mirrored object's symmetries are conjugated by
    the mirror ``F = diag(-1, 1, 1)``: ``F R F``, ``F t``, ``F axis``, ``F offset``."""
    D = max(s['disc_rot'].shape[0] for s in syms)
    eye = torch.eye(3, device=device)
    rot, trans, valid = [], [], []
    for s, m in zip(syms, mirrored):
        r, t = s['disc_rot'].to(device), s['disc_trans'].to(device)
        if m:
            r, t = mirror_rotation(r), mirror_points(t)
        pad = D - r.shape[0]
        rot.append(torch.cat([r, eye.expand(pad, 3, 3)]))
        trans.append(torch.cat([t, t.new_zeros(pad, 3)]))
        valid.append(torch.arange(D, device=device) < r.shape[0])
    fl = torch.tensor([bool(m) for m in mirrored], device=device)[:, None]

    def vec(key):
        v = torch.stack([s[key] for s in syms]).to(device)
        return torch.where(fl, mirror_points(v), v)
    return SymmetryBatch(torch.stack(rot), torch.stack(trans), torch.stack(valid),
                         vec('axis'), vec('axis_offset'),
                         torch.stack([s['has_axis'] for s in syms]).to(device),
                         torch.stack([s['full'] for s in syms]).to(device), vec('center'))


def skew(a: torch.Tensor) -> torch.Tensor:
    """``(..., 3)`` -> cross-product matrices ``(..., 3, 3)``."""
    z = torch.zeros_like(a[..., 0])
    return torch.stack([torch.stack([z, -a[..., 2], a[..., 1]], -1),
                        torch.stack([a[..., 2], z, -a[..., 0]], -1),
                        torch.stack([-a[..., 1], a[..., 0], z], -1)], -2)


def rotation_about_axis(axis: torch.Tensor, angle: torch.Tensor) -> torch.Tensor:
    """Rodrigues: unit ``axis (..., 3)``, ``angle (...)`` radians -> ``(..., 3, 3)``."""
    K = skew(axis)
    eye = torch.eye(3, dtype=axis.dtype, device=axis.device).expand(K.shape)
    s, c = torch.sin(angle)[..., None, None], torch.cos(angle)[..., None, None]
    return eye + s * K + (1 - c) * K @ K


def nearest_angle_about_axis(R_pred: torch.Tensor, R_base: torch.Tensor,
                             axis: torch.Tensor) -> torch.Tensor:
    """Angle ``(...)`` of the rotation ``C`` about ``axis (..., 3)`` (model frame) that brings
    ``R_base C`` nearest ``R_pred`` (both ``(..., 3, 3)``)."""
    N = R_pred.transpose(-1, -2) @ R_base
    trace = N.diagonal(dim1=-2, dim2=-1).sum(-1)
    aNa = (axis[..., None, :] @ N @ axis[..., :, None])[..., 0, 0]
    B = (N * skew(axis).transpose(-1, -2)).sum((-1, -2))  # tr(N [a]_x)
    return torch.atan2(B, trace - aNa)


@torch.no_grad()
def nearest_symmetric_pose(R_pred: torch.Tensor, R_gt: torch.Tensor, t_gt: torch.Tensor,
                           sym: SymmetryBatch) -> Tuple[torch.Tensor, torch.Tensor]:
    """The ground-truth pose's symmetric equivalent nearest ``R_pred``.

    Args:
        R_pred, R_gt: ``(B, 3, 3)`` model -> frame rotations; t_gt: ``(B, 3)`` metres.
        sym: the objects' symmetries.

    Returns:
        ``R* (B, 3, 3)`` and ``t* (B, 3)``, a pose that places the object's surface exactly
        where ``(R_gt, t_gt)`` does. Fully symmetric objects take ``R_pred`` itself (with the
        translation that keeps their centre in place).
    """
    B, D = sym.disc_rot.shape[:2]
    Rp = R_pred.detach().to(R_gt.dtype)
    base = R_gt[:, None] @ sym.disc_rot  # (B, D, 3, 3)
    trans = (R_gt[:, None] @ sym.disc_trans[..., None])[..., 0] + t_gt[:, None]  # (B, D, 3)
    axis = sym.axis[:, None].expand(B, D, 3)
    theta = nearest_angle_about_axis(Rp[:, None].expand(B, D, 3, 3), base, axis)
    theta = torch.where(sym.has_axis[:, None], theta, torch.zeros_like(theta))
    C = rotation_about_axis(axis, theta)  # (B, D, 3, 3)
    cand = base @ C
    # X' = R_d (C (X - o) + o) + t_d: the continuous part adds R_gt R_d (o - C o)
    o = sym.axis_offset[:, None].expand(B, D, 3)
    shift = o - (C @ o[..., None])[..., 0]
    cand_t = trans + (base @ shift[..., None])[..., 0]
    score = (Rp[:, None] * cand).sum((-1, -2))  # tr(R_pred^T cand)
    score = score.masked_fill(~sym.disc_valid, -10.0)
    best = score.argmax(1)
    idx = torch.arange(B, device=R_gt.device)
    R_star, t_star = cand[idx, best], cand_t[idx, best]
    c = sym.center
    full_t = t_gt + (R_gt @ c[..., None])[..., 0] - (Rp @ c[..., None])[..., 0]
    R_star = torch.where(sym.full[:, None, None], Rp, R_star)
    t_star = torch.where(sym.full[:, None], full_t, t_star)
    return R_star, t_star
