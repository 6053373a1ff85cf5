"""Which object the hand holds: a classifier over the template library's objects."""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn

from hoverse.registry import MODELS

from .base_head import BaseHead, Samples


@MODELS.register_module()
class ObjectClassificationHead(BaseHead):
    """Scores the held object over ``class_names`` (the model's template library, sorted,
    when the config leaves it out) from the object branch, so that inference needs no
    object name.

    ``forward(feats, batch_data_samples)`` pools ``feats['object']`` and ``feats['hand']
    (B, C, h, w)`` (the grasp says something about the object too) where a learnt spatial
    attention looks (softmax over the ``h x w`` positions, one map per branch) and by a
    global max, and returns ``logits (B, N)``. A plain global mean was measured not to learn on the
    synthetic set (600 iterations: top-1 15 % for 7 objects, chance 14 %): the object
    covers a small part of the crop and the mean drowns it in background. ``loss``
    takes ``targets['obj_label'] (B,)`` (index into ``class_names``, -1 for an object
    outside them: not counted) and logs ``loss_obj_cls``; ``predict`` gives
    ``obj_cls_scores (B, N)`` probabilities, records each sample's best classes
    (``metainfo['obj_cls_top']``: up to five ``(name, probability)``, best first) and names
    a sample without ``obj_name`` by the top one (``metainfo['obj_name_source'] =
    'classified'``), so that heads after it find every object named.
    """

    out_key = 'cls'

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

    def forward(self, feats: Dict, batch_data_samples: Samples) -> Dict[str, torch.Tensor]:
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

    def loss(self, feats: Dict, batch_data_samples: Samples,
             train_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
        if 'obj_cls' not in self.losses:
            return {}
        out = self.outputs(feats, batch_data_samples)
        labels = self.labels([s.metainfo.get('obj_name') for s in batch_data_samples],
                             out['logits'].device)
        return dict(loss_obj_cls=self.losses['obj_cls'](out['logits'], labels))

    def predict(self, feats: Dict, batch_data_samples: Samples,
                test_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
        scores = self.outputs(feats, batch_data_samples)['logits'].softmax(-1)
        k = min(5, scores.shape[-1])
        probs, idx = scores.detach().topk(k, -1)
        for s, p, i in zip(batch_data_samples, probs.tolist(), idx.tolist()):
            top = [(self.class_names[j], float(q)) for j, q in zip(i, p)]
            s.set_metainfo(dict(obj_cls_top=top))
            if s.metainfo.get('obj_name') is None:
                s.set_metainfo(dict(obj_name=top[0][0], obj_name_source='classified'))
        return dict(obj_cls_scores=scores)
