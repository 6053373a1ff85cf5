"""Signed distance grids for object templates: built once, cached, sampled differentiably."""
import hashlib
import os
import os.path as osp
from typing import Optional, Tuple

import numpy as np
import torch
import torch.nn.functional as F


def mesh_hash(vertices: np.ndarray, faces: np.ndarray) -> str:
    """A short content hash of a mesh (vertex and face arrays)."""
    h = hashlib.sha1()
    h.update(np.ascontiguousarray(vertices, np.float64).tobytes())
    h.update(np.ascontiguousarray(faces, np.int64).tobytes())
    return h.hexdigest()[:16]


def exact_signed_distance(points: np.ndarray, vertices: np.ndarray,
                          faces: np.ndarray) -> np.ndarray:
    """Exact signed distance ``(N,)`` (metres, negative inside) of ``points (N, 3)`` to a
    closed mesh: the Euclidean distance to the closest surface point, signed by fast winding
    numbers.

    point-cloud-utils finds the closest point (face and barycentric coordinates) exactly,
    but the distance it returns beside it is off by up to ~0.2 % inside and ~0.8 % outside
    (25.01 mm for a point 24.96 mm deep in a box); the distance is recomputed here from
    the closest point it reports, and only its sign is kept. For a single point it returns
    squeezed arrays and loses the sign (0.2 for a point 0.2 inside a box), and it refuses
    none: a single point is looked up twice, none gives ``(0,)``.
    """
    import point_cloud_utils as pcu
    pts = np.ascontiguousarray(points, np.float64)
    if pts.ndim != 2 or pts.shape[1] != 3:
        raise ValueError(f'exact_signed_distance: points must be (N, 3), got {pts.shape}')
    n = len(pts)
    if n == 0:
        return np.zeros(0)
    verts = np.ascontiguousarray(vertices, np.float64)
    tris = np.ascontiguousarray(faces, np.int32)
    if n == 1:
        pts = np.concatenate([pts, pts])
    sdf, face_id, bary = pcu.signed_distance_to_mesh(pts, verts, tris)
    sdf, face_id, bary, pts = sdf[:n], face_id[:n], bary[:n], pts[:n]
    closest = np.einsum('nk,nkd->nd', bary, verts[tris[face_id]])
    return np.copysign(np.linalg.norm(pts - closest, axis=1), sdf)


def compute_sdf_grid(vertices: np.ndarray, faces: np.ndarray, resolution: int = 64,
                     padding: float = 0.02) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sample the exact SDF on a ``resolution^3`` grid over the bbox padded by ``padding`` m
    (and 10 %).

    Returns:
        ``grid (R, R, R)`` indexed ``[z, y, x]`` (grid_sample's D, H, W), ``lo (3,)``,
        ``hi (3,)`` the grid's corner points in the model frame.
    """
    vmin, vmax = vertices.min(0), vertices.max(0)
    pad = padding + 0.1 * (vmax - vmin).max()
    lo, hi = vmin - pad, vmax + pad
    axes = [np.linspace(lo[i], hi[i], resolution) for i in range(3)]
    zz, yy, xx = np.meshgrid(axes[2], axes[1], axes[0], indexing='ij')
    pts = np.stack([xx, yy, zz], -1).reshape(-1, 3)
    sdf = exact_signed_distance(pts, vertices, faces).reshape(resolution, resolution, resolution)
    return sdf.astype(np.float32), lo, hi


class SDFGrid(torch.nn.Module):
    """A signed distance grid of one object with a differentiable trilinear lookup.

    ``forward(points (B, N, 3) model frame, metres) -> (B, N)`` signed distance, negative
    inside. Outside the grid the value is the one at the nearest grid point plus the
    distance to it: positive, continuous, never garbage.
    """

    def __init__(self, grid: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        super().__init__()
        self.register_buffer('grid', torch.as_tensor(grid, dtype=torch.float32)[None, None])
        self.register_buffer('lo', torch.as_tensor(lo, dtype=torch.float32))
        self.register_buffer('hi', torch.as_tensor(hi, dtype=torch.float32))

    @property
    def resolution(self) -> int:
        return self.grid.shape[-1]

    def forward(self, points: torch.Tensor) -> torch.Tensor:
        squeeze = points.dim() == 2
        if squeeze:
            points = points[None]
        lo, hi = self.lo.to(points.dtype), self.hi.to(points.dtype)
        clamped = torch.maximum(torch.minimum(points, hi), lo)
        outside = (points - clamped).norm(dim=-1)
        norm = (clamped - lo) / (hi - lo) * 2 - 1  # (B, N, 3) as (x, y, z)
        B, N = points.shape[:2]
        val = F.grid_sample(self.grid.to(points.dtype).expand(B, -1, -1, -1, -1),
                            norm.view(B, N, 1, 1, 3), mode='bilinear',
                            padding_mode='border', align_corners=True).view(B, N)
        out = val + outside
        return out[0] if squeeze else out


def load_or_build_sdf_grid(vertices: np.ndarray, faces: np.ndarray, cache_path: Optional[str],
                           resolution: int = 64, padding: float = 0.02
                           ) -> Tuple[SDFGrid, bool]:
    """Return the grid for this mesh, from ``cache_path`` when its stored hash matches.

    Returns:
        ``(SDFGrid, built)`` where ``built`` says whether it was (re)computed.
    """
    # v2: distances from the exact closest point (exact_signed_distance)
    key = f'{mesh_hash(vertices, faces)}_{resolution}_{padding}_v2'
    if cache_path is not None and osp.isfile(cache_path):
        with np.load(cache_path, allow_pickle=False) as z:
            if str(z['key']) == key:
                return SDFGrid(z['grid'], z['lo'], z['hi']), False
    grid, lo, hi = compute_sdf_grid(vertices, faces, resolution, padding)
    if cache_path is not None:
        os.makedirs(osp.dirname(cache_path) or '.', exist_ok=True)
        tmp = cache_path + '.tmp.npz'
        np.savez_compressed(tmp, grid=grid, lo=lo, hi=hi, key=np.array(key))
        os.replace(tmp, cache_path)
    return SDFGrid(grid, lo, hi), True
