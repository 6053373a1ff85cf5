"""Cross-entropy of a label: the held object's class, an object pose's flip hypothesis."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from hoverse.registry import MODELS


@MODELS.register_module()
class LabelCELoss(nn.Module):
    """Cross-entropy of ``logits (B, N)`` against ``labels (B,)``, mean over the samples
    whose label is not -1 (e.g. an object outside the classes); 0 when none is labelled."""

    def __init__(self, loss_weight: float = 1.0, label_smoothing: float = 0.0) -> None:
        super().__init__()
        self.loss_weight, self.label_smoothing = loss_weight, label_smoothing

    def forward(self, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        known = labels >= 0
        # all-ignored batches: a zero that keeps the graph (no NaN from an empty mean)
        per = F.cross_entropy(logits, labels.clamp(min=0), reduction='none',
                              label_smoothing=self.label_smoothing)
        per = torch.where(known, per, torch.zeros_like(per))
        return self.loss_weight * per.sum() / known.sum().clamp(min=1)


@MODELS.register_module()
class ObjectClassCELoss(LabelCELoss):
    """:class:`LabelCELoss` of the held object's class (label -1: outside the classes)."""
