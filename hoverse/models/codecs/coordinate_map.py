"""Object coordinate maps: for each cell of a grid over the crop, the model-frame point of the
object's surface seen there (2D-3D correspondences), and the pose solved back from them."""
from typing import List, Optional, Tuple

import numpy as np
import torch
import torch.nn.functional as F

from hoverse.geometry.camera import project_points
from hoverse.registry import KEYPOINT_CODECS


def box_frame(corners: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """``(centre (B, 3), half_extent (B, 3))`` metres of model-frame box ``corners (B, 8,
    3)``: what normalises a model point to [-1, 1]^3."""
    lo, hi = corners.amin(1), corners.amax(1)
    return (lo + hi) / 2, ((hi - lo) / 2).clamp(min=1e-6)


@KEYPOINT_CODECS.register_module()
class ObjectCoordinateMap:
    """Encodes a posed object template as a coordinate map and decodes a predicted map into
    a rotation (as CDPN / GDR-Net do: a pose read from dense correspondences, each a local
    question of appearance, where a single regression must answer a global one).

    ``encode`` splats the template's surface samples, posed and projected into the crop,
    into a ``heatmap_size`` grid: a cell's target is the mean model coordinate of the points
    nearest the camera that fall in it, normalised by the template's box to [-1, 1]^3.
    Visibility is decided per block of ``2 x 2`` cells (a sparse sample set leaves single
    cells empty, and a back-face point must not stand in for a missing front one): a point
    counts if it lies within ``depth_tolerance`` metres of its block's nearest point. With a
    segmentation ``mask`` only cells that are mostly object pixels are kept (the hand
    occludes the object).

    ``solve`` reads the cells the predicted mask calls object, pairs each cell centre with
    its predicted model point, and solves the perspective-n-point problem with RANSAC
    (EPnP, then Levenberg-Marquardt on the inliers; OpenCV).

    Args:
        input_size: crop side in pixels.
        heatmap_size: grid side in cells.
        depth_tolerance: metres behind a block's nearest point still counted as visible.
        mask_fraction: share of a cell's pixels that must be object in ``mask``.
        mask_threshold: predicted object probability above which a cell is used.
        min_points: fewer usable cells than this and ``solve`` keeps the fallback rotation.
        ransac_px: RANSAC's reprojection threshold in crop pixels (default one cell).
        num_samples: surface samples per template that ``encode`` should be given (the
            model's template bank draws this many for it): dense enough that every block
            of cells the object covers holds points of its nearest surface, else a farther
            face stands in for it. 512 points over a 12-cm box left about one block in six
            of its front face without a point at 32x32 cells; 8192 leave none.
    """

    def __init__(self, input_size: int = 128, heatmap_size: int = 32,
                 depth_tolerance: float = 0.01, mask_fraction: float = 0.5,
                 mask_threshold: float = 0.5, min_points: int = 6,
                 ransac_px: Optional[float] = None, num_samples: int = 8192) -> None:
        if heatmap_size < 2 or input_size < heatmap_size:
            raise ValueError(f'ObjectCoordinateMap: heatmap_size must be in [2, input_size]; '
                             f'got heatmap_size={heatmap_size}, input_size={input_size}')
        if min_points < 4:
            raise ValueError(f'ObjectCoordinateMap: min_points must be >= 4 (PnP needs four '
                             f'points), got {min_points}')
        self.input_size, self.size = float(input_size), int(heatmap_size)
        self.stride = self.input_size / self.size
        self.depth_tolerance, self.mask_fraction = depth_tolerance, mask_fraction
        self.mask_threshold, self.min_points = mask_threshold, min_points
        self.ransac_px = self.stride if ransac_px is None else float(ransac_px)
        self.num_samples = int(num_samples)

    def cell_centres(self, device=None, dtype=torch.float32) -> torch.Tensor:
        """``(g * g, 2)`` crop pixels (x, y) of the cells' centres, row by row."""
        c = (torch.arange(self.size, device=device, dtype=dtype) + 0.5) * self.stride
        gy, gx = torch.meshgrid(c, c, indexing='ij')
        return torch.stack([gx, gy], -1).reshape(-1, 2)

    @torch.no_grad()
    def encode(self, points: torch.Tensor, corners: torch.Tensor, R: torch.Tensor,
               t: torch.Tensor, K: torch.Tensor, mask: Optional[torch.Tensor] = None,
               mask_label: int = 2) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Targets for a batch.

        Args:
            points: ``(B, N, 3)`` model-frame surface samples, metres.
            corners: ``(B, 8, 3)`` the model-frame box that normalises them.
            R, t: ``(B, 3, 3)``, ``(B, 3)`` model -> crop camera (t in metres).
            K: ``(B, 3, 3)`` crop intrinsics.
            mask: ``(B, H, W)`` labels at crop size, or None.

        Returns:
            ``coords (B, 3, g, g)`` normalised model coordinates, ``weight (B, g, g)``
            (1 where a cell has a visible target), ``object (B, g, g)`` (1 where the cell is
            object: from ``mask`` when given, else ``weight``).
        """
        B, N, _ = points.shape
        if corners.shape != (B, 8, 3) or R.shape != (B, 3, 3) or t.shape != (B, 3):
            raise ValueError(f'ObjectCoordinateMap.encode: expected corners (B, 8, 3), R (B, '
                             f'3, 3), t (B, 3) for points {tuple(points.shape)}; got '
                             f'{tuple(corners.shape)}, {tuple(R.shape)}, {tuple(t.shape)}')
        g, dev = self.size, points.device
        points, R, t, K = (x.float() for x in (points, R, t, K))
        centre, half = box_frame(corners.float())
        norm = (points - centre[:, None]) / half[:, None]  # (B, N, 3)
        cam = points @ R.transpose(1, 2) + t[:, None]
        uv = project_points(cam, K)
        ix, iy = (uv / self.stride).floor().long().unbind(-1)
        z = cam[..., 2]
        inside = (ix >= 0) & (ix < g) & (iy >= 0) & (iy < g) & (z > 1e-6)
        ix, iy = ix.clamp(0, g - 1), iy.clamp(0, g - 1)
        b = torch.arange(B, device=dev)[:, None].expand(B, N)
        gb = (g + 1) // 2
        block = (b * gb + iy // 2) * gb + ix // 2
        zmin = torch.full((B * gb * gb,), float('inf'), device=dev)
        zmin = zmin.scatter_reduce(0, block[inside], z[inside], 'amin')
        seen = inside & (z <= zmin[block] + self.depth_tolerance)
        cell = ((b * g + iy) * g + ix)[seen]
        total = torch.zeros(B * g * g, 3, device=dev).index_add_(0, cell, norm[seen])
        count = torch.zeros(B * g * g, device=dev).index_add_(
            0, cell, torch.ones_like(cell, dtype=torch.float32))
        coords = (total / count.clamp(min=1)[:, None]).view(B, g, g, 3).permute(0, 3, 1, 2)
        weight = (count > 0).float().view(B, g, g)
        if mask is None:
            return coords, weight, weight.clone()
        if mask.shape[0] != B or mask.dim() != 3:
            raise ValueError(f'ObjectCoordinateMap.encode: mask must be (B, H, W) with B='
                             f'{B}, got {tuple(mask.shape)}')
        share = F.adaptive_avg_pool2d((mask == mask_label).float()[:, None], g)[:, 0]
        obj = (share >= self.mask_fraction).float()
        return coords, weight * obj, obj

    def correspondences(self, coords: torch.Tensor, mask_logits: torch.Tensor,
                        corners: torch.Tensor) -> List[Tuple[np.ndarray, np.ndarray]]:
        """Per sample, ``(model points (M, 3) metres, crop pixels (M, 2))`` of the cells
        whose object probability exceeds ``mask_threshold``. ``coords (B, 3, g, g)``,
        ``mask_logits (B, 1, g, g)`` or ``(B, g, g)``, ``corners (B, 8, 3)``."""
        centre, half = box_frame(corners.float())
        pts = coords.detach().float().flatten(2).transpose(1, 2) * half[:, None] + \
            centre[:, None]  # (B, g*g, 3)
        keep = torch.sigmoid(mask_logits.detach().float()).flatten(1) > self.mask_threshold
        uv = self.cell_centres(coords.device)
        return [(pts[i][keep[i]].cpu().numpy().astype(np.float64),
                 uv[keep[i]].cpu().numpy().astype(np.float64)) for i in range(len(pts))]

    def solve(self, coords: torch.Tensor, mask_logits: torch.Tensor, corners: torch.Tensor,
              K: torch.Tensor, fallback: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """``(R (B, 3, 3), solved (B,) bool)``: the rotation (model -> crop camera) that
        PnP finds from the predicted map, or ``fallback (B, 3, 3)`` where there are fewer
        than ``min_points`` usable cells, fewer inliers, or no solution."""
        import cv2
        out = fallback.detach().clone()
        solved = torch.zeros(len(out), dtype=torch.bool, device=out.device)
        Ks = K.detach().double().cpu().numpy()
        for i, (p3, p2) in enumerate(self.correspondences(coords, mask_logits, corners)):
            if len(p3) < self.min_points:
                continue
            ok, rvec, tvec, inliers = cv2.solvePnPRansac(
                p3, p2, Ks[i], None, iterationsCount=100, reprojectionError=self.ransac_px,
                confidence=0.99, flags=cv2.SOLVEPNP_EPNP)
            if not ok or inliers is None or len(inliers) < self.min_points:
                continue
            idx = inliers[:, 0]
            rvec, tvec = cv2.solvePnPRefineLM(p3[idx], p2[idx], Ks[i], None, rvec, tvec)
            if tvec[2, 0] <= 0 or not np.isfinite(rvec).all():
                continue
            out[i] = torch.as_tensor(cv2.Rodrigues(rvec)[0], dtype=out.dtype,
                                     device=out.device)
            solved[i] = True
        return out, solved
