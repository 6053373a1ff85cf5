"""Linear blend skinning of a MANO-style model (Loper et al. 2015, SMPL; Romero et al. 2017,
MANO), with the kinematic tree given as Python integers.

smplx's ``lbs`` reads the tree from a tensor and indexes a Python list with its elements,
one tensor-to-integer conversion per joint: on a GPU, fifteen waits for the device in
every call of the hand model. Here the tree is plain integers, grouped by depth, so the
chain is composed with one batched product per level (three for MANO) and nothing leaves
the device.
"""
from typing import List, Sequence, Tuple

import torch


def tree_levels(parents: Sequence[int]) -> List[Tuple[List[int], List[int]]]:
    """``(children, their parents)`` per depth of the tree below the root; ``parents[0]``
    is the root's (ignored), every other parent must come before its child."""
    depth = [0] * len(parents)
    for i in range(1, len(parents)):
        p = int(parents[i])
        if not 0 <= p < i:
            raise ValueError(f'joint {i} has parent {p}: parents must precede their children')
        depth[i] = depth[p] + 1
    levels = []
    for d in range(1, max(depth, default=0) + 1):
        kids = [i for i in range(len(parents)) if depth[i] == d]
        levels.append((kids, [int(parents[i]) for i in kids]))
    return levels


def linear_blend_skinning(betas: torch.Tensor, rotmats: torch.Tensor, v_template: torch.Tensor,
                          shapedirs: torch.Tensor, posedirs: torch.Tensor,
                          J_regressor: torch.Tensor, levels: Sequence[Tuple[List[int], List[int]]],
                          lbs_weights: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """Posed vertices ``(B, V, 3)`` and joints ``(B, J, 3)``.

    ``betas (B, S)``, ``rotmats (B, J, 3, 3)`` (each joint relative to its parent, root
    first), ``v_template (V, 3)``, ``shapedirs (V, 3, S)``, ``posedirs ((J - 1) * 9, V * 3)``
    (smplx's layout), ``J_regressor (J, V)``, ``levels`` from :func:`tree_levels`,
    ``lbs_weights (V, J)``. Computed in the inputs' dtype with autocast off: errors of a
    half-precision product would compound down each finger's chain.
    """
    with torch.autocast(device_type=rotmats.device.type, enabled=False):
        return _skin(betas, rotmats, v_template, shapedirs, posedirs, J_regressor, levels,
                     lbs_weights)


def _skin(betas: torch.Tensor, rotmats: torch.Tensor, v_template: torch.Tensor,
          shapedirs: torch.Tensor, posedirs: torch.Tensor, J_regressor: torch.Tensor,
          levels: Sequence[Tuple[List[int], List[int]]],
          lbs_weights: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    B = rotmats.shape[0]
    v_shaped = v_template + torch.einsum('bs,vks->bvk', betas, shapedirs)
    joints = torch.einsum('jv,bvk->bjk', J_regressor, v_shaped)
    eye = torch.eye(3, dtype=rotmats.dtype, device=rotmats.device)
    pose_feature = (rotmats[:, 1:] - eye).reshape(B, -1)
    v_posed = v_shaped + (pose_feature @ posedirs).view(B, -1, 3)

    # the chain, level by level: each joint's rest offset from its parent, rotated by the
    # parent's world rotation
    world_rot, world_pos = rotmats.clone(), joints.clone()
    for kids, pars in levels:
        offset = joints[:, kids] - joints[:, pars]
        world_pos[:, kids] = world_pos[:, pars] + (world_rot[:, pars] @ offset[..., None])[..., 0]
        world_rot[:, kids] = world_rot[:, pars] @ rotmats[:, kids]

    # per-joint transforms that take a rest-pose point to its posed place
    shift = world_pos - (world_rot @ joints[..., None])[..., 0]
    blend_rot = torch.einsum('vj,bjkl->bvkl', lbs_weights, world_rot)
    blend_shift = torch.einsum('vj,bjk->bvk', lbs_weights, shift)
    verts = (blend_rot @ v_posed[..., None])[..., 0] + blend_shift
    return verts, world_pos
