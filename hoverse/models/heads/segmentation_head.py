"""Auxiliary hand/object segmentation from both branches."""
from typing import Dict, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from hoverse.registry import MODELS

from .base_head import BaseHead, Samples


@MODELS.register_module()
class SegmentationHead(BaseHead):
    """Per-pixel segmentation logits (by default background / hand / object: the
    ``seg_classes`` of the dataset description, whose count the reconstructor fills in)
    from the hand and object maps: dense supervision that tells each stream where its part
    of the image is (the method's reference implementation trains one beside the
    decoders).

    ``forward(feats, batch_data_samples)`` takes ``feats['hand']``, ``feats['object'] (B,
    C, h, w)`` and returns ``logits (B, num_classes, h, w)``. ``loss`` upsamples them to
    the samples' ``gt_instances.mask (H, W)`` (class labels) and applies ``loss_seg``
    (cross-entropy, logged as ``loss_seg``); ``predict`` gives ``seg_mask (B, H, W)``
    labels at crop size.
    """

    out_key = 'seg'

    def __init__(self, in_channels: int = 256, hidden: int = 64, num_classes: int = 3,
                 loss_seg: Optional[dict] = dict(type='SegmentationCELoss', loss_weight=1.0)
                 ) -> None:
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(2 * in_channels, hidden, 3, padding=1, bias=False), nn.BatchNorm2d(hidden),
            nn.ReLU(inplace=True), nn.Conv2d(hidden, num_classes, 1))
        self.build_losses(dict(seg=loss_seg))

    def forward(self, feats: Dict, batch_data_samples: Samples) -> Dict[str, torch.Tensor]:
        return dict(logits=self.conv(torch.cat([feats['hand'], feats['object']], 1)))

    def loss(self, feats: Dict, batch_data_samples: Samples,
             train_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
        if 'seg' not in self.losses:
            return {}
        gts = [s.get('gt_instances') for s in batch_data_samples]
        if not all(g is not None and 'mask' in g for g in gts):
            raise KeyError('SegmentationHead needs ground-truth masks: load them with '
                           "dict(type='LoadImage', with_mask=True) in the train pipeline")
        out = self.outputs(feats, batch_data_samples)
        mask = torch.cat([g.mask for g in gts]).to(out['logits'].device).long()
        logits = F.interpolate(out['logits'], size=mask.shape[-2:], mode='bilinear',
                               align_corners=False)
        return dict(loss_seg=self.losses['seg'](logits, mask))

    def predict(self, feats: Dict, batch_data_samples: Samples,
                test_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
        """``seg_mask (B, H, W)`` labels at the crop size."""
        size = int(feats['input_size'])
        logits = F.interpolate(self.outputs(feats, batch_data_samples)['logits'],
                               size=(size, size), mode='bilinear', align_corners=False)
        return dict(seg_mask=logits.argmax(1))
