"""Which object rotation a prediction reports: the regressed one, or one read from the
coordinate map (RANSAC-PnP, or the learnt PnP), or a mix of the two.

A readout is a ``TASK_UTILS`` component chosen by ``ObjectPoseHead(rot_readout=...)``
(its ``name`` or a ``dict(type=...)``). ``__call__(out, ctx)`` takes the head's raw outputs
and the batch's :class:`ReadoutContext` and returns ``(rot (B, 3, 3), extra fields)``,
model -> crop camera frame. Where a readout needs the object's box (``needs_box``) and a
sample's object is unknown (``ctx.known`` False), that sample keeps the regressed rotation.

The regression sees the hand and finds the object's axis best; the map sees the paint and
finds the flips and the spin about the axis best (docs/benchmarks.md).
"""
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

import torch

from hoverse.geometry.rotations import nearest_half_turn, nearest_rotation, turn_axis_onto
from hoverse.registry import TASK_UTILS

Fields = Dict[str, torch.Tensor]


@dataclass
class ReadoutContext:
    """What a readout may read besides the head's outputs.

    Attributes:
        cam_K: ``(B, 3, 3)`` crop cameras.
        corners: ``(B, 8, 3)`` the objects' model-frame box corners (zeros where unknown).
        known: ``(B,)`` bool, whether a sample's object (its box) is known.
        spin_axes: ``(B, 3)`` model-frame axes about which a readout may take the spin
            (only for readouts with ``uses_spin_axes``), else None.
        coord_codec: the head's ``ObjectCoordinateMap`` (PnP readouts), else None.
    """
    cam_K: torch.Tensor
    corners: torch.Tensor
    known: torch.Tensor
    spin_axes: Optional[torch.Tensor] = None
    coord_codec: object = None


class RotationReadout:
    """The regressed rotation (``name='regressed'``), and the base of every readout.

    Class attributes: ``name`` (what ``rot_readout`` calls it), ``needs`` (the head's
    branch it reads: ``'coord_map'``, ``'patch_pnp'`` or None), ``needs_box`` (it reads
    ``ctx.corners``) and ``uses_spin_axes`` (it reads ``ctx.spin_axes``).
    """
    name = 'regressed'
    needs: Optional[str] = None
    needs_box = False
    uses_spin_axes = False

    def __call__(self, out: Fields, ctx: ReadoutContext) -> Tuple[torch.Tensor, Fields]:
        return out['rot'], {}


def _where_known(ctx: ReadoutContext, rot: torch.Tensor, fallback: torch.Tensor
                 ) -> torch.Tensor:
    return torch.where(ctx.known[:, None, None], rot, fallback)


@TASK_UTILS.register_module()
class RegressedReadout(RotationReadout):
    """The head's regressed rotation."""


@TASK_UTILS.register_module()
class PnPReadout(RotationReadout):
    """The rotation RANSAC-EPnP solves from the coordinate map (``ObjectCoordinateMap.
    solve``); ``obj_rot_solved (B,)`` says where it found one (elsewhere: the regressed)."""
    name, needs, needs_box = 'pnp', 'coord_map', True

    def solve(self, out: Fields, ctx: ReadoutContext) -> Tuple[torch.Tensor, torch.Tensor]:
        """``(rot (B, 3, 3), solved (B,) bool)``, solved only for known objects."""
        rot, solved = out['rot'].detach().clone(), torch.zeros_like(ctx.known)
        idx = ctx.known.nonzero()[:, 0]
        if len(idx):
            r, ok = ctx.coord_codec.solve(out['coords'][idx], out['coord_mask_logits'][idx],
                                          ctx.corners[idx], ctx.cam_K[idx], out['rot'][idx])
            rot[idx], solved[idx] = r, ok
        return rot, solved

    def __call__(self, out: Fields, ctx: ReadoutContext) -> Tuple[torch.Tensor, Fields]:
        rot, solved = self.solve(out, ctx)
        return rot, dict(obj_rot_solved=solved)


@TASK_UTILS.register_module()
class PnPFlipReadout(PnPReadout):
    """The regressed rotation turned by the half turn about the model axes that brings it
    nearest the PnP rotation (the regression's axes, the map's way round)."""
    name = 'pnp_flip'

    def __call__(self, out: Fields, ctx: ReadoutContext) -> Tuple[torch.Tensor, Fields]:
        solved_rot, solved = self.solve(out, ctx)
        return nearest_half_turn(out['rot'], solved_rot), dict(obj_rot_solved=solved)


@TASK_UTILS.register_module()
class PatchReadout(RotationReadout):
    """The learnt PnP's rotation (``PatchPnP``)."""
    name, needs = 'patch', 'patch_pnp'

    def __call__(self, out: Fields, ctx: ReadoutContext) -> Tuple[torch.Tensor, Fields]:
        return out['patch_rot'], {}


@TASK_UTILS.register_module()
class PatchFlipReadout(RotationReadout):
    """The regressed rotation, the way round the learnt PnP's says."""
    name, needs = 'patch_flip', 'patch_pnp'

    def __call__(self, out: Fields, ctx: ReadoutContext) -> Tuple[torch.Tensor, Fields]:
        return nearest_half_turn(out['rot'], out['patch_rot']), {}


@TASK_UTILS.register_module()
class PatchSpinReadout(RotationReadout):
    """The regressed rotation turned the way round the learnt PnP's says, then given the
    learnt PnP's spin about each sample's spin axis (``ctx.spin_axes``: the template's
    continuous symmetry axis where it has one, else its longest box side): the learnt
    PnP's rotation turned the least that puts that axis where the flipped regression puts
    it (:func:`turn_axis_onto`)."""
    name, needs, needs_box, uses_spin_axes = 'patch_spin', 'patch_pnp', True, True
    blend_weight = 0.0

    def __call__(self, out: Fields, ctx: ReadoutContext) -> Tuple[torch.Tensor, Fields]:
        rot, ref = out['rot'], out['patch_rot']
        flipped = nearest_half_turn(rot, ref)
        if self.blend_weight:
            mean = (1.0 - self.blend_weight) * flipped.float() + self.blend_weight * ref.float()
            flipped = nearest_rotation(mean).to(rot.dtype)
        axes = ctx.spin_axes.to(rot.dtype)
        target = (flipped @ axes[..., None]).squeeze(-1)
        return _where_known(ctx, turn_axis_onto(ref.to(rot.dtype), axes, target), rot), {}


@TASK_UTILS.register_module()
class PatchBlendReadout(PatchSpinReadout):
    """:class:`PatchSpinReadout` with the axis where the chordal mean of the flipped
    regression and the learnt PnP's rotation puts it (the learnt PnP's share
    ``blend_weight``; 1 gives the learnt PnP's rotation): once the learnt PnP places the
    axis nearly as well as the regression, their errors partly cancel."""
    name = 'patch_blend'

    def __init__(self, blend_weight: float = 0.25) -> None:
        if not 0.0 <= blend_weight <= 1.0:
            raise ValueError("PatchBlendReadout: blend_weight is the learnt PnP's share of "
                             f'the blended axis, in [0, 1]; got {blend_weight}')
        self.blend_weight = blend_weight


#: every readout by its ``name``
ROT_READOUTS = {c.name: c for c in (RegressedReadout, PnPReadout, PnPFlipReadout,
                                    PatchReadout, PatchFlipReadout, PatchSpinReadout,
                                    PatchBlendReadout)}


def build_readout(cfg) -> RotationReadout:
    """A readout from its name (``'patch_blend'``) or a ``TASK_UTILS`` config."""
    if isinstance(cfg, str):
        if cfg not in ROT_READOUTS:
            raise ValueError(f'ObjectPoseHead: rot_readout must be one of '
                             f'{sorted(ROT_READOUTS)} or a TASK_UTILS config; got {cfg!r}')
        return ROT_READOUTS[cfg]()
    readout = TASK_UTILS.build(cfg)
    if not isinstance(readout, RotationReadout):
        raise TypeError(f'rot_readout {cfg} builds a {type(readout).__name__}, not a '
                        'RotationReadout')
    return readout
