"""What the heads feed their regressors besides the pooled maps: D-BFAM's 2D keypoints (as
coordinates or as a layout) and the features around a keypoint."""
from typing import Dict

import torch
import torch.nn.functional as F


def normalised_kpts(feats: Dict[str, torch.Tensor], key: str, input_size: float,
                    owner: str) -> torch.Tensor:
    """D-BFAM's 2D keypoints ``feats[key] (B, K, 2)`` (crop pixels) as ``(B, 2K)`` in
    [-1, 1] over the crop, a regressor input."""
    if key not in feats:
        raise KeyError(f"{owner}(use_kpt_coords=True) needs D-BFAM's {key}; set "
                       'use_kpt_coords=False when the model has no DBFAM neck')
    half = input_size / 2.0
    return ((feats[key] - half) / half).flatten(1)


def kpt_layout(feats: Dict[str, torch.Tensor], key: str, origin: int, owner: str
               ) -> torch.Tensor:
    """D-BFAM's 2D keypoints ``feats[key] (B, K, 2)`` (crop pixels) relative to keypoint
    ``origin`` (the wrist; the object's centre) and divided by their largest absolute
    offset, as ``(B, 2K)`` in [-1, 1]: their layout alone, free of where the hand or
    object lies in the crop and of how large it looks. The articulation is read from it
    (docs/benchmarks.md: a probe on the true 2D joints' layout reaches half the mean pose's
    PA-MPJPE)."""
    if key not in feats:
        raise KeyError(f"{owner}(use_kpt_layout=True) needs D-BFAM's {key}; set "
                       'use_kpt_layout=False when the model has no DBFAM neck')
    kpts = feats[key]
    rel = kpts - kpts[:, origin:origin + 1]
    scale = rel.abs().amax(dim=(1, 2), keepdim=True).clamp(min=1.0)  # pixels
    return (rel / scale).flatten(1)


def centred_grid_features(feat: torch.Tensor, centre: torch.Tensor, input_size: float,
                          grid: int, extent: float) -> torch.Tensor:
    """Features of ``feat (B, C, h, w)`` (covering the crop) sampled bilinearly on a
    ``grid x grid`` lattice centred on ``centre (B, 2)`` (crop pixels) and ``extent`` of the
    crop wide, as ``(B, C * grid * grid)``: what lies around a point, in a fixed layout
    wherever the point is in the crop. Lattice points off the crop read zeros. The centre is
    not back-propagated into (its keypoint has its own loss)."""
    if feat.dim() != 4 or centre.shape != (feat.shape[0], 2):
        raise ValueError(f'centred_grid_features expects feat (B, C, h, w) and centre (B, 2); '
                         f'got {tuple(feat.shape)} and {tuple(centre.shape)}')
    half = input_size / 2.0
    c = (centre.detach().to(feat.dtype) - half) / half  # (B, 2) in [-1, 1]
    offs = torch.linspace(-extent, extent, grid, device=feat.device, dtype=feat.dtype)
    gy, gx = torch.meshgrid(offs, offs, indexing='ij')
    lattice = torch.stack([gx, gy], -1)  # (g, g, 2), x first as grid_sample reads it
    pts = c[:, None, None] + lattice[None]  # (B, g, g, 2)
    return F.grid_sample(feat, pts, mode='bilinear', padding_mode='zeros',
                         align_corners=False).flatten(1)
