"""Hand-object physics helpers: object SDF queries and the hand inside/outside test."""
from typing import Optional, Sequence

import torch
import torch.nn.functional as F

from hoverse.geometry.mirror import mirror_points_where
from hoverse.objects.sdf import SDFGrid


def to_object_frame(points: torch.Tensor, rot: torch.Tensor, trans: torch.Tensor) -> torch.Tensor:
    """``points (B, N, 3)`` in the hand-root frame -> object model frame, given the object's
    ``rot (B, 3, 3)`` and ``trans (B, 3)`` in that same frame (``X = R X_model + t``)."""
    return (points - trans[:, None]) @ rot


def query_sdf(grids: Sequence[SDFGrid], points: torch.Tensor,
              mirrored: Optional[Sequence[bool]] = None) -> torch.Tensor:
    """Signed distance of ``points (B, N, 3)`` (model frames) to each sample's object.

    ``grids[b]`` is sample b's grid. A mirrored sample (Dex-YCB left hand) uses the mirror
    image of its template. Returns ``(B, N)`` metres, negative inside.

    One batched ``grid_sample`` over the batch's stacked grids (all of one resolution; a
    batch mixing resolutions falls back to one lookup per grid), no per-sample kernels.
    """
    B = points.shape[0]
    if mirrored is not None and any(mirrored):
        points = mirror_points_where(points, mirrored)
    if len({tuple(g.grid.shape) for g in grids}) > 1:
        return torch.stack([grids[b].to(points.device)(points[b:b + 1])[0] for b in range(B)])
    dev, dt = points.device, points.dtype
    grid = torch.cat([g.grid.to(dev) for g in grids]).to(dt)  # (B, 1, R, R, R)
    lo = torch.stack([g.lo.to(dev) for g in grids]).to(dt)[:, None]  # (B, 1, 3)
    hi = torch.stack([g.hi.to(dev) for g in grids]).to(dt)[:, None]
    clamped = torch.maximum(torch.minimum(points, hi), lo)
    outside = (points - clamped).norm(dim=-1)
    norm = (clamped - lo) / (hi - lo) * 2 - 1
    N = points.shape[1]
    val = F.grid_sample(grid, norm.view(B, N, 1, 1, 3), mode='bilinear', padding_mode='border',
                        align_corners=True).view(B, N)
    return val + outside


def vertex_normals(verts: torch.Tensor, faces: torch.Tensor) -> torch.Tensor:
    """Area-weighted unit vertex normals ``(B, V, 3)`` of ``verts (B, V, 3)``."""
    tri = verts[:, faces]  # (B, F, 3, 3)
    fn = torch.cross(tri[:, :, 1] - tri[:, :, 0], tri[:, :, 2] - tri[:, :, 0], dim=-1)
    vn = torch.zeros_like(verts)
    for k in range(3):
        vn.index_add_(1, faces[:, k], fn)
    return F.normalize(vn, dim=-1, eps=1e-12)


def depth_inside_hand(points: torch.Tensor, hand_verts: torch.Tensor,
                      hand_faces: torch.Tensor,
                      max_depth: Optional[float] = None) -> torch.Tensor:
    """How deep ``points (B, N, 3)`` lie inside the closed hand mesh, ``(B, N)`` metres.

    Nearest hand vertex and its normal decide inside (``(p - v) . n < 0``); the depth is
    the distance to that vertex, zero outside. Nearest neighbours by plain torch ``cdist``.
    The normal test only holds near the surface: far from the hand, behind a concave
    region (the palm under curled fingers), it calls outside points inside. ``max_depth``
    (metres) counts only points closer than that to the hand (no point lies deeper inside
    a hand than half its thickest part, about 1.5 cm).
    """
    normals = vertex_normals(hand_verts, hand_faces)
    d = torch.cdist(points, hand_verts)  # (B, N, V)
    dist, idx = d.min(-1)
    v = torch.gather(hand_verts, 1, idx[..., None].expand(-1, -1, 3))
    n = torch.gather(normals, 1, idx[..., None].expand(-1, -1, 3))
    inside = ((points - v) * n).sum(-1) < 0
    if max_depth is not None:
        inside = inside & (dist < max_depth)
    return torch.where(inside, dist, torch.zeros_like(dist))
