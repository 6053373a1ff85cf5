"""Hand-object physics helpers: object SDF queries and the hand inside/outside test."""
from typing import Optional, Sequence

import torch
import torch.nn.functional as F

from hoverse.geometry.camera import MIRROR_X
from hoverse.objects.sdf import SDFGrid


def to_object_frame(points: torch.Tensor, rot: torch.Tensor, trans: torch.Tensor) -> torch.Tensor:
    """``points (B, N, 3)`` in the hand-root frame -> object model frame, given the object's
    ``rot (B, 3, 3)`` and ``trans (B, 3)`` in that same frame (``X = R X_model + t``)."""
    return (points - trans[:, None]) @ rot


def query_sdf(grids: Sequence[SDFGrid], points: torch.Tensor,
              mirrored: Optional[Sequence[bool]] = None) -> torch.Tensor:
    """Signed distance of ``points (B, N, 3)`` (model frames) to each sample's object.

    ``grids[b]`` is sample b's grid; samples that share a grid are queried together. A
    mirrored sample (Dex-YCB left hand) uses the mirror image of its template.
    Returns ``(B, N)`` metres, negative inside.
    """
    out = points.new_empty(points.shape[:2])
    mirrored = mirrored or [False] * len(grids)
    groups = {}
    for b, (g, m) in enumerate(zip(grids, mirrored)):
        groups.setdefault((id(g), bool(m)), (g, m, []))[2].append(b)
    for g, m, idx in groups.values():
        pts = points[idx]
        if m:
            pts = pts * MIRROR_X.to(pts)
        out[idx] = g.to(points.device)(pts)
    return out


def vertex_normals(verts: torch.Tensor, faces: torch.Tensor) -> torch.Tensor:
    """Area-weighted unit vertex normals ``(B, V, 3)`` of ``verts (B, V, 3)``."""
    tri = verts[:, faces]  # (B, F, 3, 3)
    fn = torch.cross(tri[:, :, 1] - tri[:, :, 0], tri[:, :, 2] - tri[:, :, 0], dim=-1)
    vn = torch.zeros_like(verts)
    for k in range(3):
        vn.index_add_(1, faces[:, k], fn)
    return F.normalize(vn, dim=-1, eps=1e-12)


def depth_inside_hand(points: torch.Tensor, hand_verts: torch.Tensor,
                      hand_faces: torch.Tensor) -> torch.Tensor:
    """How deep ``points (B, N, 3)`` lie inside the closed hand mesh, ``(B, N)`` metres.

    Nearest hand vertex and its normal decide inside (``(p - v) . n < 0``); the depth is
    the distance to that vertex, zero outside. Nearest neighbours by plain torch ``cdist``.
    """
    normals = vertex_normals(hand_verts, hand_faces)
    d = torch.cdist(points, hand_verts)  # (B, N, V)
    dist, idx = d.min(-1)
    v = torch.gather(hand_verts, 1, idx[..., None].expand(-1, -1, 3))
    n = torch.gather(normals, 1, idx[..., None].expand(-1, -1, 3))
    inside = ((points - v) * n).sum(-1) < 0
    return torch.where(inside, dist, torch.zeros_like(dist))
