"""What the hoverse heads share: their losses built from config."""
from typing import Dict, Optional

import torch.nn as nn

from hoverse.registry import MODELS


class LossOwnerMixin:
    """Builds ``{name: loss config}`` into ``self.losses`` (an ``nn.ModuleDict``); a ``None``
    config removes that term, so a config (or an ablation inheriting it) switches any loss
    off with ``loss_<name>=None``."""

    def build_losses(self, losses: Dict[str, Optional[dict]]) -> None:
        self.losses = nn.ModuleDict(
            {name: MODELS.build(cfg) for name, cfg in losses.items() if cfg is not None})
