"""Which object the hand holds: a classifier over the template library's objects."""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn

from hoverse.registry import MODELS

from .base_head import LossOwnerMixin


@MODELS.register_module()
class ObjectClassificationHead(LossOwnerMixin, nn.Module):
    """Scores the held object over ``class_names`` (the model's template library, sorted,
    when the config leaves it out) from the object branch, so that inference needs no
    object name.

    ``forward(feats)`` pools ``feats['object'] (B, C, h, w)`` (and ``feats['hand']``:
    the grasp says something about the object) and returns ``logits (B, N)``. ``loss``
    takes ``targets['obj_label'] (B,)`` (index into ``class_names``, -1 for an object
    outside them: not counted) and logs ``loss_obj_cls``; ``predict`` gives
    ``obj_cls_scores (B, N)`` probabilities.
    """

    def __init__(self, in_channels: int = 256, hidden: int = 256,
                 class_names: Optional[Sequence[str]] = None,
                 loss_cls: Optional[dict] = dict(type='ObjectClassCELoss', loss_weight=0.1)
                 ) -> None:
        super().__init__()
        if not class_names:
            raise ValueError('ObjectClassificationHead needs class_names: set '
                             'model.object_models_root (its templates name the classes) or '
                             'give cls_head.class_names')
        self.class_names: List[str] = list(class_names)
        self.fc = nn.Sequential(nn.Linear(2 * in_channels, hidden), nn.ReLU(inplace=True),
                                nn.Linear(hidden, len(self.class_names)))
        self.build_losses(dict(obj_cls=loss_cls))

    def forward(self, feats: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
        pooled = torch.cat([feats['object'].mean((2, 3)), feats['hand'].mean((2, 3))], 1)
        return dict(logits=self.fc(pooled))

    def labels(self, names: Sequence[Optional[str]], device: torch.device) -> torch.Tensor:
        """``(B,)`` class indices of object names; -1 for a name outside the classes."""
        index = {n: i for i, n in enumerate(self.class_names)}
        return torch.tensor([index.get(n, -1) for n in names], dtype=torch.long, device=device)

    def loss(self, out: Dict[str, torch.Tensor], targets: Dict) -> Dict[str, torch.Tensor]:
        if 'obj_cls' not in self.losses:
            return {}
        return dict(loss_obj_cls=self.losses['obj_cls'](out['logits'], targets['obj_label']))

    def predict(self, out: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
        return dict(obj_cls_scores=out['logits'].softmax(-1))
