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
