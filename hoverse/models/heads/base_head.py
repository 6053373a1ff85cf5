"""What the hoverse heads share: their losses built from config."""
from typing import Dict, Optional

import torch
import torch.nn as nn

from hoverse.registry import MODELS


class LossOwnerMixin:
    """Builds ``{name: loss config}`` into ``self.losses`` (an ``nn.ModuleDict``); a ``None``
    config removes that term, so a config (or an ablation inheriting it) switches any loss
    off with ``loss_<name>=None``."""

    def build_losses(self, losses: Dict[str, Optional[dict]]) -> None:
        self.losses = nn.ModuleDict(
            {name: MODELS.build(cfg) for name, cfg in losses.items() if cfg is not None})


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
