"""A test-time fit of the hand and the object together: no interpenetration, fingers on the
surface they hold, and the image evidence kept."""
import math
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn

from hoverse.geometry.camera import project_points
from hoverse.geometry.rotations import axis_angle_to_matrix
from hoverse.registry import MODELS

from ..utils.physics import depth_inside_hand, query_sdf, to_object_frame
from .contact_regions import contact_regions
from .object_keypoint_residual import object_keypoint_residual

#: the tensors the fit can move, each switchable (``fit=...``)
FIT_PARAMETERS = ('hand_pose', 'hand_shape', 'hand_root', 'obj_rot', 'obj_trans')
#: what moves by default: the object and the hand's root; the hand keeps the articulation
#: the network gave it (moving it too freed no more penetration on the quickstart
#: checkpoint, cost 10-12 % of PA-MPJPE and kept no more objects from falling in simulation:
#: docs/benchmarks.md)
DEFAULT_FIT = ('hand_root', 'obj_rot', 'obj_trans')


def start_offsets(distances: Sequence[float], device: torch.device) -> torch.Tensor:
    """``(1 + 14 * len(distances), 3)`` metres: no offset, then each distance along the six
    axis directions and the eight cube diagonals."""
    axes = torch.eye(3, device=device)
    diag = torch.tensor([[x, y, z] for x in (-1., 1.) for y in (-1., 1.) for z in (-1., 1.)],
                        device=device) / math.sqrt(3.0)
    dirs = torch.cat([axes, -axes, diag])
    return torch.cat([torch.zeros(1, 3, device=device)]
                     + [dirs * float(d) for d in distances])


@MODELS.register_module()
class HandObjectFitter(nn.Module):
    """Refines the network's hand and object at test time, starting from its prediction,
    with ``steps`` Adam steps over the hand pose (16 x 6D), shape and root and the object's
    rotation (an axis-angle step on the predicted rotation) and translation relative to the
    hand root (each switchable through ``fit``). Per sample it minimises::

        w_2d  (mean_j |proj(hand joint j) - D-BFAM's|^2 + the same for the object's
               keypoints, in units of the hand's 2D extent; the object's symmetry
               respected: :func:`object_keypoint_residual`)
      + w_pen (sum_v relu(pen_margin - sdf_obj(v))^2 + sum_s depth_in_hand(s)^2, mm^2: hand vertices
               inside the object, object surface samples inside the hand; sums, so that a
               few deep vertices count fully)
      + w_contact mean_r relu(d_r - contact_gap) (mm), d_r the smallest distance of
               contact region r (fingertips, palm) to the surface, over the regions within
               ``contact_radius`` of it at the start (where the hand touches); linear, so
               that it pulls at a constant rate and the penetration term stops it
      + priors: w_pose mean |rot6d - rot6d_0|^2 + w_shape mean |betas - betas_0|^2
               + w_trans |t - t_0|^2 (mm^2, hand root and object) + w_rot |omega|^2 (rad^2)

    Before the descent, the object's translation starts from the lowest-energy of
    ``start_offsets`` (the prediction, and the prediction moved by each distance along 14
    directions): a network that sinks the object through the palm leaves hand vertices
    inside it on both faces of the palm, whose pushes cancel, so descent from there alone
    stays stuck (a banana through the palm kept 10-12 mm of it; docs/benchmarks.md).

    The samples are independent (Adam is per element and the energy a sum). The step size
    decays to zero over the steps (cosine), translations (metres) with their own. It runs
    with gradients on inside ``torch.no_grad()``, in float32, and leaves every network
    parameter alone. A sample whose object has no template is left as it is. With
    ``steps=0`` the prediction comes back unchanged.

    Args:
        steps / lr: Adam's steps and step size (pose, shape, object rotation).
        lr_trans: the step size of the hand root and the object translation (metres).
        fit: which of :data:`FIT_PARAMETERS` move.
        w_2d, w_pen, w_contact, w_pose, w_shape, w_trans, w_rot: the terms' weights.
        contact_gap: metres; a region closer than this to the surface is in contact.
        contact_radius: metres; regions this close at the start are pulled into contact.
        max_inside_depth: metres; object samples farther than this from the hand never
            count as inside it (:func:`depth_inside_hand`'s normal test fails far away).
        pen_margin: metres; hand vertices closer than this to the surface already count
            as inside (the SDF grid's interpolation is up to about a millimetre off near
            the surface, so a fit to zero leaves shallow true penetration: on the
            quickstart checkpoint's 100 validation samples the exact mean depth after the
            fit was 0.32 mm with a 1 mm margin, 0.18 mm with 2 mm).
        start_distances: metres; the offsets tried for the object's starting translation
            (``()``: start from the prediction). Only when ``obj_trans`` is fitted.
        betas: Adam's. The second moment forgets within a few steps (0.5, not torch's
            0.999): a deep penetration's large early gradients would otherwise shrink
            every later step, and the contact term could not pull a hand pushed clear of
            the object back to its surface.
    """

    def __init__(self, steps: int = 80, lr: float = 0.01, lr_trans: float = 0.002,
                 fit: Sequence[str] = DEFAULT_FIT, w_2d: float = 1000.0,
                 w_pen: float = 10.0, w_contact: float = 100.0, w_pose: float = 1000.0,
                 w_shape: float = 1.0, w_trans: float = 0.01, w_rot: float = 100.0,
                 contact_gap: float = 0.003, contact_radius: float = 0.02,
                 max_inside_depth: float = 0.015,
                 betas: Tuple[float, float] = (0.5, 0.5),
                 pen_margin: float = 0.002,
                 start_distances: Sequence[float] = (0.015, 0.03, 0.045)) -> None:
        super().__init__()
        unknown = set(fit) - set(FIT_PARAMETERS)
        if unknown:
            raise ValueError(f'HandObjectFitter: fit must name some of {FIT_PARAMETERS}, got '
                             f'{sorted(unknown)}')
        if not isinstance(steps, int) or steps < 0:
            raise ValueError(f'HandObjectFitter: steps must be an integer >= 0, got {steps!r}')
        self.steps, self.lr, self.lr_trans, self.fit = steps, lr, lr_trans, tuple(fit)
        self.w = dict(w_2d=w_2d, w_pen=w_pen, w_contact=w_contact, w_pose=w_pose,
                      w_shape=w_shape, w_trans=w_trans, w_rot=w_rot)
        self.contact_gap, self.contact_radius = contact_gap, contact_radius
        self.max_inside_depth, self.betas = max_inside_depth, tuple(betas)
        self.pen_margin = pen_margin
        self.start_distances = tuple(float(d) for d in start_distances)

    def forward(self, fields: Dict[str, torch.Tensor], mano: nn.Module, templates,
                samples: List, cam_K: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Fit the prediction ``fields`` (the heads' crop-frame fields: ``mano_rot6d``,
        ``mano_shape``, ``root_cam_pred``, ``obj_rot``, ``obj_trans_rel``, and the 2D
        evidence ``hand_kpts_2d``, ``obj_kpts_2d`` where D-BFAM gives it) of ``samples``
        seen by the crop cameras ``cam_K (B, 3, 3)``; returns the fields with the fitted
        hand and object and records, per sample, ``metainfo['physical_fit']``: the deepest
        hand vertex inside the object and the closest contact region's distance (mm),
        before and after."""
        names = [s.metainfo.get('obj_name') for s in samples]
        ok = [templates is not None and templates.enabled and n is not None
              and n in templates.library for n in names]
        if self.steps == 0 or not any(ok):
            return fields
        idx = torch.tensor([i for i, k in enumerate(ok) if k], device=cam_K.device)
        tb = templates.batch([names[i] for i in idx.tolist()], cam_K.device,
                             [bool(samples[i].metainfo.get('obj_mirrored', False))
                              for i in idx.tolist()])
        fitted, stats = self._fit({k: v[idx] for k, v in fields.items()
                                   if torch.is_tensor(v) and v.shape[:1] == (len(samples), )},
                                  mano, tb, cam_K[idx].float())
        out = dict(fields)
        for k, v in fitted.items():
            full = out[k].clone()
            full[idx] = v.to(full.dtype)
            out[k] = full
        for j, i in enumerate(idx.tolist()):
            samples[i].set_metainfo(dict(physical_fit={k: float(v[j]) for k, v in stats.items()}))
        return out

    def _energy(self, p: Dict, start: Dict, mano, tb: Dict, K: torch.Tensor,
                target: Dict, regions: torch.Tensor, active: torch.Tensor,
                hand: Optional[Dict] = None) -> torch.Tensor:
        """``(B,)`` energy of the parameters ``p``; ``hand``: MANO's output for ``p``
        when the caller has it (the starts share one hand)."""
        w = self.w
        if hand is None:
            hand = mano(p['rot6d'][:, 0], p['rot6d'][:, 1:], p['betas'], pose_type='rot6d')
        R = axis_angle_to_matrix(p['omega']) @ start['R']
        t = p['t_rel']
        e = w['w_pose'] * ((p['rot6d'] - start['rot6d']) ** 2).mean((1, 2)) \
            + w['w_shape'] * ((p['betas'] - start['betas']) ** 2).mean(1) \
            + w['w_trans'] * (((p['root'] - start['root']) * 1e3) ** 2).sum(1) \
            + w['w_trans'] * (((t - start['t_rel']) * 1e3) ** 2).sum(1) \
            + w['w_rot'] * (p['omega'] ** 2).sum(1)
        if 'hand_kpts_2d' in target:
            kp = target['hand_kpts_2d']
            ext = (kp.amax(1) - kp.amin(1)).amax(-1).clamp(min=1.0)[:, None, None]
            res = (project_points(p['root'][:, None] + hand['joints'], K) - kp) / ext
            e = e + w['w_2d'] * (res ** 2).sum(-1).mean(-1)
            if 'obj_kpts_2d' in target:
                e = e + w['w_2d'] * object_keypoint_residual(
                    R, p['root'] + t, tb['corners'], target['obj_kpts_2d'], tb['symmetry'],
                    K, ext[:, 0, 0])
        sdf = query_sdf(tb['grids'], to_object_frame(hand['verts'], R, t), tb['mirrored']) * 1e3
        inside = depth_inside_hand(tb['samples'] @ R.transpose(1, 2) + t[:, None],
                                   hand['verts'], mano.closed_faces,
                                   self.max_inside_depth) * 1e3
        under = torch.relu(self.pen_margin * 1e3 - sdf)
        e = e + w['w_pen'] * ((under ** 2).sum(1) + (inside ** 2).sum(1))
        d = torch.relu(sdf)[:, regions].amin(-1)  # (B, regions) mm
        gap = torch.relu(d - self.contact_gap * 1e3)
        return e + w['w_contact'] * (gap * active).sum(1) / active.sum(1).clamp(min=1)

    def _fit(self, f: Dict, mano, tb: Dict, K: torch.Tensor):
        start = dict(rot6d=f['mano_rot6d'].detach().float(), betas=f['mano_shape'].detach().float(),
                     root=f['root_cam_pred'].detach().float(), R=f['obj_rot'].detach().float(),
                     t_rel=f['obj_trans_rel'].detach().float())
        target = {k: f[k].detach().float() for k in ('hand_kpts_2d', 'obj_kpts_2d') if k in f}
        B = K.shape[0]
        regions = contact_regions(mano).to(K.device)
        moving = dict(rot6d='hand_pose', betas='hand_shape', root='hand_root', omega='obj_rot',
                      t_rel='obj_trans')
        p = dict(start, omega=torch.zeros(B, 3, device=K.device))
        p.pop('R')
        p = {k: v.clone().requires_grad_(moving[k] in self.fit) for k, v in p.items()}
        params = [v for v in p.values() if v.requires_grad]
        groups = [dict(params=[v], lr=self.lr_trans if k in ('root', 't_rel') else self.lr)
                  for k, v in p.items() if v.requires_grad]
        with torch.enable_grad(), torch.autocast(K.device.type, enabled=False):
            stats0, active = self._stats(p, start, mano, tb, regions)
            if params and self.start_distances and p['t_rel'].requires_grad:
                with torch.no_grad():
                    p['t_rel'].copy_(self._best_start(p, start, mano, tb, K, target, regions,
                                                      active))
            if params:
                opt = torch.optim.Adam(groups, betas=self.betas)
                base = [g['lr'] for g in opt.param_groups]
                for k in range(self.steps):
                    for g, lr in zip(opt.param_groups, base):
                        g['lr'] = lr * 0.5 * (1 + math.cos(math.pi * k / self.steps))
                    e = self._energy(p, start, mano, tb, K, target, regions, active).sum()
                    # gradients for the fitted tensors only: nothing reaches module parameters
                    for q, g in zip(params, torch.autograd.grad(e, params)):
                        q.grad = g
                    opt.step()
        with torch.no_grad(), torch.autocast(K.device.type, enabled=False):
            stats1, _ = self._stats(p, start, mano, tb, regions)
            hand = mano(p['rot6d'][:, 0], p['rot6d'][:, 1:], p['betas'], pose_type='rot6d')
            R = axis_angle_to_matrix(p['omega']) @ start['R']
        out = dict(mano_rot6d=p['rot6d'].detach(), mano_shape=p['betas'].detach(),
                   root_cam_pred=p['root'].detach(), joints_3d=hand['joints'],
                   verts_3d=hand['verts'], obj_rot=R, obj_trans_rel=p['t_rel'].detach())
        stats = dict(penetration_mm_before=stats0[0], penetration_mm_after=stats1[0],
                     contact_gap_mm_before=stats0[1], contact_gap_mm_after=stats1[1])
        return out, stats

    @torch.no_grad()
    def _best_start(self, p: Dict, start: Dict, mano, tb: Dict, K: torch.Tensor,
                    target: Dict, regions: torch.Tensor, active: torch.Tensor) -> torch.Tensor:
        """``(B, 3)``: per sample, the object translation of lowest energy among the
        prediction moved by each of :func:`start_offsets`."""
        offsets = start_offsets(self.start_distances, K.device)
        hand = mano(p['rot6d'][:, 0], p['rot6d'][:, 1:], p['betas'], pose_type='rot6d')
        energies = torch.stack([
            self._energy(dict(p, t_rel=p['t_rel'] + o), start, mano, tb, K, target, regions,
                         active, hand) for o in offsets])  # (O, B)
        return p['t_rel'] + offsets[energies.argmin(0)]

    @torch.no_grad()
    def _stats(self, p: Dict, start: Dict, mano, tb: Dict, regions: torch.Tensor):
        """``((deepest hand vertex inside, closest region's gap) (B,) mm each, the regions
        within contact_radius (B, regions))``."""
        hand = mano(p['rot6d'][:, 0], p['rot6d'][:, 1:], p['betas'], pose_type='rot6d')
        R = axis_angle_to_matrix(p['omega']) @ start['R']
        sdf = query_sdf(tb['grids'], to_object_frame(hand['verts'], R, p['t_rel']),
                        tb['mirrored']) * 1e3
        d = torch.relu(sdf)[:, regions].amin(-1)
        active = (d < self.contact_radius * 1e3).float()
        return (torch.relu(-sdf).amax(1), d.amin(1)), active


def build_physical_fit(cfg: Optional[dict]) -> Optional[nn.Module]:
    """The reconstructor's ``test_cfg['physical_fit']``: a config dict, a built fitter, or
    None."""
    if cfg is None or isinstance(cfg, nn.Module):
        return cfg
    return MODELS.build(cfg)
