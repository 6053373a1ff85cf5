"""How far an object pose's projected keypoints lie from D-BFAM's 2D object keypoints, up
to the object's symmetries (which corner is which is not observable on a symmetric
object, so the comparison must not depend on it)."""
import torch

from hoverse.geometry.camera import project_points
from hoverse.geometry.symmetric_pose import SymmetryBatch


def _min_over_symmetries(points: torch.Tensor, targets: torch.Tensor, R: torch.Tensor,
                         t: torch.Tensor, sym: SymmetryBatch, K: torch.Tensor,
                         ext: torch.Tensor) -> torch.Tensor:
    """``(B,)``: the smallest, over the discrete symmetries ``S`` of each object, mean
    squared residual of ``R S(points) + t`` projected against ``targets (B, P, 2)``."""
    moved = points[:, None] @ sym.disc_rot.transpose(-1, -2) + sym.disc_trans[:, :, None]
    cam = moved @ R[:, None].transpose(-1, -2) + t[:, None, None]  # (B, D, P, 3)
    res = ((project_points(cam, K[:, None]) - targets[:, None]) / ext[:, None, None, None])
    err = (res ** 2).sum(-1).mean(-1)  # (B, D)
    return err.masked_fill(~sym.disc_valid, float('inf')).amin(1)


def object_keypoint_residual(R: torch.Tensor, t: torch.Tensor, corners: torch.Tensor,
                             kpts: torch.Tensor, sym: SymmetryBatch, K: torch.Tensor,
                             ext: torch.Tensor) -> torch.Tensor:
    """Mean squared 2D residual ``(B,)`` of the object at ``R (B, 3, 3)``, ``t (B, 3)``
    (crop camera frame) against ``kpts (B, 9, 2)`` (its 8 box corners and centre, crop
    pixels), in units of ``ext (B,)`` pixels.

    - no continuous symmetry: all 9 points, the best of the discrete symmetries;
    - a continuous axis: the spin about it is unobservable, so only what it leaves fixed:
      the centres of the two box faces the axis leaves through (the means of their
      corners, in 3D and in the 2D keypoints) and the box centre;
    - fully symmetric: the centre alone.
    """
    centre = corners.mean(1, keepdim=True)
    pts = torch.cat([corners, centre], 1)
    full_box = _min_over_symmetries(pts, kpts[:, :9], R, t, sym, K, ext)
    side = ((corners - centre) * sym.axis[:, None]).sum(-1)  # (B, 8)
    caps3, caps2 = [], []
    for mask in (side > 1e-9, side < -1e-9):
        w = mask.float()[..., None]
        n = w.sum(1).clamp(min=1)
        caps3.append((corners * w).sum(1) / n)
        caps2.append((kpts[:, :8] * w).sum(1) / n)
    axis_pts = torch.stack(caps3 + [centre[:, 0]], 1)
    axis_tgt = torch.stack(caps2 + [kpts[:, 8]], 1)
    on_axis = _min_over_symmetries(axis_pts, axis_tgt, R, t, sym, K, ext)
    only_centre = _min_over_symmetries(centre, kpts[:, 8:9], R, t, sym, K, ext)
    out = torch.where(sym.has_axis, on_axis, full_box)
    return torch.where(sym.full, only_centre, out)
