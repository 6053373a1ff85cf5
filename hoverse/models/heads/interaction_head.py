"""The physical-constraint losses between the hand and object decoders' outputs."""
from typing import Dict, Optional

import torch

from hoverse.registry import MODELS

from .base_head import BaseHead, Samples


@MODELS.register_module()
class InteractionHead(BaseHead):
    """No parameters: owns the losses that couple the hand mesh and the object pose,
    ``loss_sdf`` (penetration through the object's SDF grid, and object samples inside the
    hand) and ``loss_contact`` (attraction of near-surface hand vertices). It reads the hand
    and object heads' outputs (``feats['hand_out']``, ``feats['obj_out']``: both run
    before it) and needs the object templates (``object_models_root``); without them it
    adds nothing. It has no outputs and no prediction fields.
    """

    def __init__(self,
                 loss_sdf: Optional[dict] = dict(type='SDFPenetrationLoss', loss_weight=10.0,
                                                 object_weight=1.0),
                 loss_contact: Optional[dict] = dict(type='ContactLoss', loss_weight=1.0,
                                                     threshold=0.005)) -> None:
        super().__init__()
        self.build_losses(dict(sdf=loss_sdf, contact=loss_contact))

    def forward(self, feats: Dict, batch_data_samples: Samples) -> Dict[str, torch.Tensor]:
        return {}

    def loss(self, feats: Dict, batch_data_samples: Samples,
             train_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
        templates = self.batch_templates(feats, batch_data_samples)
        if templates is None:
            return {}
        hand = self.head_outputs(feats, 'hand', 'InteractionHead')
        obj = self.head_outputs(feats, 'obj', 'InteractionHead')
        L, losses = self.losses, {}
        verts, R, t = hand['verts'], obj['rot'], obj['trans_rel']
        grids, mirrored = templates['grids'], templates['mirrored']
        if 'sdf' in L:
            losses['loss_sdf'] = L['sdf'](verts, R, t, grids, templates['samples'],
                                          hand['closed_faces'], mirrored)
        if 'contact' in L:
            losses['loss_contact'] = L['contact'](verts, R, t, grids, mirrored)
        return losses

    def predict(self, feats: Dict, batch_data_samples: Samples,
                test_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
        return {}
