"""The physical-constraint losses between the hand and object decoders' outputs."""
from typing import Dict, Optional

import torch
import torch.nn as nn

from hoverse.registry import MODELS

from .base_head import LossOwnerMixin


@MODELS.register_module()
class InteractionHead(LossOwnerMixin, nn.Module):
    """No parameters: owns the losses that couple the hand mesh and the object pose,
    ``loss_sdf`` (penetration through the object's SDF grid, and object samples inside the
    hand) and ``loss_contact`` (attraction of near-surface hand vertices). Both need the
    object templates (``object_models_root``); without them it adds nothing.

    ``loss(hand_out, obj_out, targets, hand_faces (F, 3) closed)``.
    """

    def __init__(self,
                 loss_sdf: Optional[dict] = dict(type='SDFPenetrationLoss', loss_weight=10.0,
                                                 object_weight=1.0),
                 loss_contact: Optional[dict] = dict(type='ContactLoss', loss_weight=1.0,
                                                     threshold=0.005)) -> None:
        super().__init__()
        self.build_losses(dict(sdf=loss_sdf, contact=loss_contact))

    def loss(self, hand_out: Dict[str, torch.Tensor], obj_out: Dict[str, torch.Tensor],
             targets: Dict, hand_faces: torch.Tensor) -> Dict[str, torch.Tensor]:
        templates = targets.get('templates')
        if templates is None:
            return {}
        L, losses = self.losses, {}
        verts, R, t = hand_out['verts'], obj_out['rot'], obj_out['trans_rel']
        grids, mirrored = templates['grids'], templates['mirrored']
        if 'sdf' in L:
            losses['loss_sdf'] = L['sdf'](verts, R, t, grids, templates['samples'], hand_faces,
                                          mirrored)
        if 'contact' in L:
            losses['loss_contact'] = L['contact'](verts, R, t, grids, mirrored)
        return losses
