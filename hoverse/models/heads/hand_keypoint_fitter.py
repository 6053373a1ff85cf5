"""Test-time fitting of the regressed MANO hand to D-BFAM's 2D joints."""
from typing import Dict

import torch
import torch.nn as nn

from hoverse.geometry.camera import project_points
from hoverse.registry import MODELS


def _same_joints(posed: Dict[str, torch.Tensor], kpts: torch.Tensor) -> torch.Tensor:
    """The posed hand's ``joints (B, J, 3)``, once they are known to match ``kpts (B, J,
    2)`` joint for joint."""
    joints = posed['joints']
    if joints.shape[1] != kpts.shape[1]:
        raise ValueError(f'HandKeypointFitter: the hand model gives {joints.shape[1]} joints, '
                         f'kpts has {kpts.shape[1]}')
    return joints


@MODELS.register_module()
class HandKeypointFitter(nn.Module):
    """Refines a regressed MANO hand at inference so that its 3D joints, projected through
    the crop camera, land on the 2D joints D-BFAM reads from its heatmaps, while its
    parameters stay near the regression.

    The regressor leans towards an average hand; the 2D joints follow the fingers more
    closely, and the regression, as the starting point and a prior, settles what one view
    leaves open (depth). Per sample it minimises, with Adam over ``steps`` steps at rate
    ``lr`` from the regression (pose as 16 x 6D, shape, root position in metres)::

        mean_j |proj(root + J_j) - kpt_j|^2 / extent^2
            + pose_weight * mean (rot6d - rot6d_0)^2 + shape_weight * mean (betas - betas_0)^2

    where ``extent`` is the longer side of the 2D joints' box (so the weights do not depend
    on the crop or the hand's size in it). It has no weights; it runs with gradients on
    inside ``torch.no_grad()`` and in float32 under autocast, and leaves the network's
    parameters untouched. Samples do not interact (Adam is per element, the loss a sum).

    Args:
        steps: Adam steps (0 returns the regression as it is).
        lr: Adam's step size.
        pose_weight / shape_weight: weights of the pull towards the regressed pose and
            shape, against the 2D term.
    """

    def __init__(self, steps: int = 100, lr: float = 0.01, pose_weight: float = 0.01,
                 shape_weight: float = 0.001) -> None:
        super().__init__()
        if not isinstance(steps, int) or steps < 0:
            raise ValueError(f'HandKeypointFitter: steps must be an integer >= 0, got {steps!r}')
        for name, value, low in (('lr', lr, 0.0), ('pose_weight', pose_weight, None),
                                 ('shape_weight', shape_weight, None)):
            if not value >= 0 or (low is not None and value <= low):
                raise ValueError(f'HandKeypointFitter: {name} must be '
                                 f'{"> 0" if low is not None else ">= 0"}, got {value!r}')
        self.steps, self.lr = steps, lr
        self.pose_weight, self.shape_weight = pose_weight, shape_weight

    def forward(self, mano: nn.Module, rot6d: torch.Tensor, betas: torch.Tensor,
                root: torch.Tensor, kpts: torch.Tensor, cam_K: torch.Tensor
                ) -> Dict[str, torch.Tensor]:
        """Fit the hand ``rot6d (B, 16, 6)``, ``betas (B, 10)``, ``root (B, 3)`` (crop
        camera frame, metres) to ``kpts (B, J, 2)`` (crop pixels) seen by ``cam_K (B, 3,
        3)``, with the root-relative ``mano`` layer. Returns, detached, ``rot6d``,
        ``betas``, ``rotmats (B, 16, 3, 3)``, ``verts (B, V, 3)``, ``joints (B, J, 3)``
        (root-relative, metres) and ``root_cam (B, 3)``."""
        B = rot6d.shape[0]
        expected = dict(rot6d=(B, 16, 6), betas=(B, None), root=(B, 3), kpts=(B, None, 2),
                        cam_K=(B, 3, 3))
        given = dict(rot6d=rot6d, betas=betas, root=root, kpts=kpts, cam_K=cam_K)
        for name, shape in expected.items():
            got = tuple(given[name].shape)
            if len(got) != len(shape) or any(s is not None and g != s
                                             for g, s in zip(got, shape)):
                raise ValueError(f'HandKeypointFitter: {name} has shape {got}, expected '
                                 f'{tuple("*" if s is None else s for s in shape)}')
        start = [t.detach().float() for t in (rot6d, betas, root)]
        target, K = kpts.detach().float(), cam_K.detach().float()
        extent = (target.amax(1) - target.amin(1)).amax(-1).clamp(min=1.0)[:, None, None]
        params = [t.clone().requires_grad_(True) for t in start]
        with torch.enable_grad(), torch.autocast(target.device.type, enabled=False):
            opt = torch.optim.Adam(params, lr=self.lr)
            for _ in range(self.steps):
                r6, b, t = params
                joints = _same_joints(mano(r6[:, 0], r6[:, 1:], b, pose_type='rot6d'), target)
                res = (project_points(t[:, None] + joints, K) - target) / extent
                loss = ((res ** 2).sum(-1).mean(-1)
                        + self.pose_weight * ((r6 - start[0]) ** 2).mean((1, 2))
                        + self.shape_weight * ((b - start[1]) ** 2).mean(1)).sum()
                # gradients for the fitted tensors only: nothing reaches module parameters
                for p, g in zip(params, torch.autograd.grad(loss, params)):
                    p.grad = g
                opt.step()
        with torch.no_grad(), torch.autocast(target.device.type, enabled=False):
            r6, b, t = (p.detach() for p in params)
            out = mano(r6[:, 0], r6[:, 1:], b, pose_type='rot6d')
            _same_joints(out, target)
        return dict(rot6d=r6, betas=b, rotmats=out['rotmats'], verts=out['verts'],
                    joints=out['joints'], root_cam=t)
