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

    ``forward(feats)`` pools ``feats['object']`` and ``feats['hand'] (B, C, h, w)`` (the
    grasp says something about the object too) where a learnt spatial attention looks
    (softmax over the ``h x w`` positions, one map per branch) and by a global max, and
    returns ``logits (B, N)``. A plain global mean was measured not to learn on the
    synthetic set (600 iterations: top-1 15 % for 7 objects, chance 14 %): the object
    covers a small part of the crop and the mean drowns it in background. ``loss``
    takes ``targets['obj_label'] (B,)`` (index into ``class_names``, -1 for an object
    outside them: not counted) and logs ``loss_obj_cls``; ``predict`` gives
    ``obj_cls_scores (B, N)`` probabilities.
    """

    def __init__(self, in_channels: int = 256, hidden: int = 256,
                 class_names: Optional[Sequence[str]] = None,
                 loss_cls: Optional[dict] = dict(type='ObjectClassCELoss', loss_weight=0.5)
                 ) -> None:
        super().__init__()
        if not class_names:
            raise ValueError('ObjectClassificationHead needs class_names: set '
                             'model.object_models_root (its templates name the classes) or '
                             'give cls_head.class_names')
        self.class_names: List[str] = list(class_names)
        self._index = {n: i for i, n in enumerate(self.class_names)}
        self.attention = nn.Conv2d(2 * in_channels, 2, 1)
        self.fc = nn.Sequential(nn.Linear(4 * in_channels, hidden), nn.ReLU(inplace=True),
                                nn.Linear(hidden, len(self.class_names)))
        self.build_losses(dict(obj_cls=loss_cls))

    def forward(self, feats: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
        x = torch.cat([feats['object'], feats['hand']], 1)  # (B, 2C, h, w)
        att = self.attention(x).flatten(2).softmax(-1)  # (B, 2, hw)
        C = feats['object'].shape[1]
        branches = x.flatten(2).view(x.shape[0], 2, C, -1)  # (B, 2, C, hw)
        attended = (branches * att[:, :, None]).sum(-1).flatten(1)  # (B, 2C)
        pooled = torch.cat([attended, x.amax((2, 3))], 1)
        return dict(logits=self.fc(pooled))

    def labels(self, names: Sequence[Optional[str]], device: torch.device) -> torch.Tensor:
        """``(B,)`` class indices of object names; -1 for a name outside the classes."""
        return torch.tensor([self._index.get(n, -1) for n in names], dtype=torch.long,
                            device=device)

    def loss(self, out: Dict[str, torch.Tensor], targets: Dict) -> Dict[str, torch.Tensor]:
        if 'obj_cls' not in self.losses:
            return {}
        return dict(loss_obj_cls=self.losses['obj_cls'](out['logits'], targets['obj_label']))

    def predict(self, out: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
        return dict(obj_cls_scores=out['logits'].softmax(-1))
