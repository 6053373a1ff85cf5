"""The contract every hoverse head keeps (mmpose's, with the heads' shared feature dict)."""
from abc import ABCMeta, abstractmethod
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn

from hoverse.registry import MODELS

Samples = Sequence  # a batch of HandObjectDataSample


def gt_field(samples: Samples, key: str, device: torch.device) -> torch.Tensor:
    """``gt_instances.<key>`` of every sample, concatenated: ``(B, ...)``."""
    try:
        return torch.cat([s.gt_instances.get(key) for s in samples]).to(device)
    except (TypeError, AttributeError):
        raise KeyError(f'ground truth {key!r} is missing from a data sample; the pipeline '
                       'must end with GenerateTargets and PackHandObjectInputs') from None


def meta_field(samples: Samples, key: str, device: torch.device) -> torch.Tensor:
    """``metainfo[key]`` of every sample as float32, stacked: ``(B, ...)``."""
    missing = [i for i, s in enumerate(samples) if key not in s.metainfo]
    if missing:
        raise KeyError(f'metainfo {key!r} is missing from data sample(s) {missing}; the '
                       'pipeline must crop with TopDownAffine and pack with '
                       'PackHandObjectInputs')
    return torch.stack([torch.as_tensor(s.metainfo[key], dtype=torch.float32)
                        for s in samples]).to(device)


def crop_size(feats: Dict) -> float:
    """The crop's side in pixels, as the reconstructor records it in ``feats``."""
    if 'input_size' not in feats:
        raise KeyError("feats['input_size'] (the crop's side, pixels) is missing: heads "
                       'read features from HandObjectReconstructor.extract_feat')
    return float(feats['input_size'])


class BaseHead(nn.Module, metaclass=ABCMeta):
    """Every hoverse head (as mmpose's): a network, its losses and its prediction fields.

    - ``forward(feats, batch_data_samples) -> dict`` of raw outputs (tensors, shapes in
      the head's docstring);
    - ``loss(feats, batch_data_samples, train_cfg=None) -> dict`` of named losses
      ``loss_<name>``, built from its ``loss_<name>=dict(type=..., loss_weight=...)``
      arguments (``None`` drops a term: :meth:`build_losses`);
    - ``predict(feats, batch_data_samples, test_cfg=None) -> dict`` of batched prediction
      fields ``(B, ...)`` (crop camera frame, root-relative, metres, crop pixels).

    ``feats`` is the necks' feature dict (branch maps, D-BFAM's keypoints and heatmaps,
    ``input_size``). A head's forward outputs are computed once per batch by
    :meth:`outputs` and kept in ``feats['<out_key>_out']``, where heads that run after it
    read them (the object head reads the hand's orientation; the physics reads both
    decoders). Everything else a head needs it gathers itself: ground truth and cameras
    from the samples (:func:`gt_field`, :func:`meta_field`), object templates from
    ``self.templates``, the model's shared :class:`~hoverse.objects.TemplateBank` (None
    without templates), which the reconstructor hands every head.
    """

    #: the name of this head's outputs in ``feats`` (``'<out_key>_out'``) and of their
    #: prefix in the reconstructor's ``mode='tensor'`` results
    out_key: Optional[str] = None

    def __init__(self) -> None:
        super().__init__()
        self.templates = None

    def build_losses(self, losses: Dict[str, Optional[dict]]) -> None:
        """``{name: loss config}`` into ``self.losses`` (an ``nn.ModuleDict``); a ``None``
        config drops that term."""
        self.losses = nn.ModuleDict(
            {name: MODELS.build(cfg) for name, cfg in losses.items() if cfg is not None})

    def outputs(self, feats: Dict, batch_data_samples: Samples) -> Dict[str, torch.Tensor]:
        """This head's ``forward`` outputs for the batch, computed once and kept in
        ``feats``."""
        key = f'{self.out_key or type(self).__name__}_out'
        if key not in feats:
            feats[key] = self(feats, batch_data_samples)
        return feats[key]

    @staticmethod
    def head_outputs(feats: Dict, out_key: str, reader: str) -> Dict[str, torch.Tensor]:
        """Another head's outputs, for ``reader`` (named in the error when that head has
        not run first)."""
        if f'{out_key}_out' not in feats:
            raise KeyError(f"{reader} reads the '{out_key}' head's outputs: that head must "
                           'run before it (HandObjectReconstructor runs the heads in order)')
        return feats[f'{out_key}_out']

    @abstractmethod
    def forward(self, feats: Dict, batch_data_samples: Samples) -> Dict[str, torch.Tensor]:
        """Raw outputs of the batch."""

    @abstractmethod
    def loss(self, feats: Dict, batch_data_samples: Samples,
             train_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
        """Named losses against the samples' ground truth."""

    @abstractmethod
    def predict(self, feats: Dict, batch_data_samples: Samples,
                test_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
        """Batched prediction fields."""

    def batch_templates(self, feats: Dict, batch_data_samples: Samples) -> Optional[Dict]:
        """The batch's object templates (:meth:`TemplateBank.batch`, by each sample's
        ``obj_name``, mirrored where ``obj_mirrored``), gathered once per batch; None
        without templates."""
        if self.templates is None or not self.templates.enabled:
            return None
        if '_templates' not in feats:
            names: List[Optional[str]] = [s.metainfo.get('obj_name') for s in
                                          batch_data_samples]
            if any(n is None for n in names):
                raise KeyError('a data sample has no obj_name: object losses need the held '
                               "object's template")
            feats['_templates'] = self.templates.batch(
                names, feats['hand'].device,
                [bool(s.metainfo.get('obj_mirrored', False)) for s in batch_data_samples])
        return feats['_templates']
