"""Rotation conversions (batched torch): axis-angle, matrix, 6D, quaternion.

Conventions: rotation matrices act on column vectors (``x' = R @ x``); 6D is the first two
columns of ``R`` concatenated ``[R[:, 0], R[:, 1]]`` (Zhou et al. 2019); quaternions are
``(x, y, z, w)`` as in roma. Axis-angle and quaternion conversions delegate to roma.
"""
import roma
import torch
import torch.nn.functional as F

__all__ = ['axis_angle_to_matrix', 'matrix_to_axis_angle', 'rot6d_to_matrix', 'matrix_to_rot6d',
           'quaternion_to_matrix', 'matrix_to_quaternion', 'axis_angle_to_rot6d',
           'geodesic_distance', 'nearest_rotation', 'turn_axis_onto', 'IDENTITY_6D',
           'HALF_TURNS', 'nearest_half_turn']

#: the identity rotation in 6D ``(6,)``
IDENTITY_6D = torch.tensor([1.0, 0, 0, 0, 1.0, 0])
#: the identity and the half turns about the x, y and z axes ``(4, 3, 3)``
HALF_TURNS = torch.stack([torch.diag(torch.tensor(d)) for d in (
    (1.0, 1.0, 1.0), (1.0, -1.0, -1.0), (-1.0, 1.0, -1.0), (-1.0, -1.0, 1.0))])


def axis_angle_to_matrix(rotvec: torch.Tensor) -> torch.Tensor:
    """``(..., 3)`` axis-angle (radians) -> ``(..., 3, 3)``."""
    return roma.rotvec_to_rotmat(rotvec)


def matrix_to_axis_angle(R: torch.Tensor) -> torch.Tensor:
    """``(..., 3, 3)`` -> ``(..., 3)`` axis-angle with angle in [0, pi]."""
    return roma.rotmat_to_rotvec(R)


def rot6d_to_matrix(x: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    """``(..., 6)`` -> ``(..., 3, 3)`` by Gram-Schmidt; finite for degenerate inputs."""
    a1, a2 = x[..., :3], x[..., 3:6]
    b1 = F.normalize(a1, dim=-1, eps=eps)
    b2 = F.normalize(a2 - (b1 * a2).sum(-1, keepdim=True) * b1, dim=-1, eps=eps)
    b3 = torch.cross(b1, b2, dim=-1)
    return torch.stack([b1, b2, b3], dim=-1)


def matrix_to_rot6d(R: torch.Tensor) -> torch.Tensor:
    """``(..., 3, 3)`` -> ``(..., 6)``: the first two columns."""
    return torch.cat([R[..., :, 0], R[..., :, 1]], dim=-1)


def axis_angle_to_rot6d(rotvec: torch.Tensor) -> torch.Tensor:
    """``(..., 3)`` -> ``(..., 6)``."""
    return matrix_to_rot6d(axis_angle_to_matrix(rotvec))


def quaternion_to_matrix(q: torch.Tensor) -> torch.Tensor:
    """``(..., 4)`` quaternion ``(x, y, z, w)`` (normalised here) -> ``(..., 3, 3)``."""
    return roma.unitquat_to_rotmat(F.normalize(q, dim=-1))


def matrix_to_quaternion(R: torch.Tensor) -> torch.Tensor:
    """``(..., 3, 3)`` -> ``(..., 4)`` unit quaternion ``(x, y, z, w)``."""
    return roma.rotmat_to_unitquat(R)


def geodesic_distance(R1: torch.Tensor, R2: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """Angle (radians) of ``R1^T R2``, ``(..., 3, 3) -> (...)``; gradient-safe near 0 and pi."""
    m = R1.transpose(-1, -2) @ R2
    cos = ((m[..., 0, 0] + m[..., 1, 1] + m[..., 2, 2]) - 1) / 2
    return torch.acos(cos.clamp(-1 + eps, 1 - eps))


def nearest_rotation(M: torch.Tensor) -> torch.Tensor:
    """The rotation closest to ``M (..., 3, 3)`` in Frobenius norm (special Procrustes),
    e.g. to bring an averaged or filtered matrix back onto SO(3)."""
    return roma.special_procrustes(M)


def turn_axis_onto(R: torch.Tensor, axis: torch.Tensor, target: torch.Tensor,
                   eps: float = 1e-6) -> torch.Tensor:
    """``Q @ R`` with ``Q`` the smallest rotation that turns ``R @ axis`` onto ``target``:
    of the rotations that send the model-frame ``axis`` to ``target``, the one nearest ``R``
    (it keeps ``R``'s spin about the axis and takes the axis's direction from ``target``).

    ``R (..., 3, 3)``, ``axis (..., 3)`` and ``target (..., 3)`` (any length); where
    ``R @ axis`` and ``target`` point opposite ways every half turn about an axis at right
    angles to them is smallest: ``Q`` is then the one about ``R @ axis`` crossed with the
    coordinate axis (x, y or z) least aligned with it, so the result still sends ``axis`` onto
    ``target``.
    """
    v = F.normalize((R @ axis.unsqueeze(-1)).squeeze(-1), dim=-1)
    u = F.normalize(target, dim=-1)
    k = torch.cross(v, u, dim=-1)
    c = (v * u).sum(-1)
    zero = torch.zeros_like(c)
    K = torch.stack([torch.stack([zero, -k[..., 2], k[..., 1]], -1),
                     torch.stack([k[..., 2], zero, -k[..., 0]], -1),
                     torch.stack([-k[..., 1], k[..., 0], zero], -1)], -2)
    opposite = (1 + c) < eps
    scale = (1 / (1 + c).clamp(min=eps))[..., None, None]
    eye = torch.eye(3, dtype=R.dtype, device=R.device)
    Q = eye + K + K @ K * scale
    # opposite: the half turn 2 p p^T - I about p, at right angles to v
    least = F.one_hot(v.abs().argmin(-1), 3).to(R.dtype)
    p = F.normalize(torch.cross(v, least, dim=-1), dim=-1)
    half = 2 * p[..., :, None] * p[..., None, :] - eye
    return torch.where(opposite[..., None, None], half, Q) @ R


def nearest_half_turn(R: torch.Tensor, ref: torch.Tensor) -> torch.Tensor:
    """Of ``R (B, 3, 3)`` and its half turns about the model axes (``R @ HALF_TURNS``), the
    one nearest ``ref (B, 3, 3)``: ``R``'s axes, the way round that ``ref`` says."""
    cands = R[:, None] @ HALF_TURNS.to(R)  # (B, 4, 3, 3)
    pick = geodesic_distance(cands, ref[:, None].to(R.dtype)).argmin(1)
    return cands[torch.arange(len(R), device=R.device), pick]
