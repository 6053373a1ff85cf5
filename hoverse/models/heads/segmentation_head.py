"""Auxiliary hand/object segmentation from both branches."""
from typing import Dict, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from hoverse.registry import MODELS

from .base_head import LossOwnerMixin

#: mask labels (the synthetic set's ``mask/*.png`` and ``gt_instances.mask``)
SEG_CLASSES = ('background', 'hand', 'object')


@MODELS.register_module()
class SegmentationHead(LossOwnerMixin, nn.Module):
    """Per-pixel background / hand / object logits from the hand and object maps: dense
    supervision that tells each stream where its part of the image is (the method's
    reference implementation trains one beside the decoders).

    ``forward(feats)`` takes ``feats['hand']``, ``feats['object'] (B, C, h, w)`` and
    returns ``logits (B, 3, h, w)``. ``loss`` upsamples them to the crop's ``mask
    (B, H, W)`` (labels 0/1/2) and applies ``loss_seg`` (cross-entropy, logged as
    ``loss_seg``); ``predict`` gives ``seg_mask (B, H, W)`` labels at crop size.
    """

    def __init__(self, in_channels: int = 256, hidden: int = 64,
                 loss_seg: Optional[dict] = dict(type='SegmentationCELoss', loss_weight=1.0)
                 ) -> None:
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(2 * in_channels, hidden, 3, padding=1, bias=False), nn.BatchNorm2d(hidden),
            nn.ReLU(inplace=True), nn.Conv2d(hidden, len(SEG_CLASSES), 1))
        self.build_losses(dict(seg=loss_seg))

    def forward(self, feats: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
        return dict(logits=self.conv(torch.cat([feats['hand'], feats['object']], 1)))

    def loss(self, out: Dict[str, torch.Tensor], targets: Dict) -> Dict[str, torch.Tensor]:
        """``targets['mask'] (B, H, W)`` int labels, or ``None`` (then an error: the
        pipeline must load masks)."""
        if 'seg' not in self.losses:
            return {}
        mask = targets.get('mask')
        if mask is None:
            raise KeyError('SegmentationHead needs ground-truth masks: load them with '
                           "dict(type='LoadImage', with_mask=True) in the train pipeline")
        logits = F.interpolate(out['logits'], size=mask.shape[-2:], mode='bilinear',
                               align_corners=False)
        return dict(loss_seg=self.losses['seg'](logits, mask.long()))

    def predict(self, out: Dict[str, torch.Tensor], size) -> Dict[str, torch.Tensor]:
        """``seg_mask (B, H, W)`` labels at the crop size ``size = (H, W)``."""
        logits = F.interpolate(out['logits'], size=tuple(size), mode='bilinear',
                               align_corners=False)
        return dict(seg_mask=logits.argmax(1))
