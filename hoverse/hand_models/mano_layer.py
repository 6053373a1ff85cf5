"""The hoverse MANO layer: smplx's MANO model with 21 joints and several pose inputs."""
import os.path as osp
import warnings
from typing import Dict, Optional, Sequence

import numpy as np
import smplx
import torch
import torch.nn as nn
from smplx.utils import Struct

from hoverse.geometry.rotations import axis_angle_to_matrix, rot6d_to_matrix
from hoverse.registry import MODELS

from .joint_orders import HO3D_TIP_VERTEX_IDS
from .mano_io import load_mano_pickle, to_numpy_only
from .mesh_utils import closed_wrist_faces
from .skinning import linear_blend_skinning, tree_levels

POSE_TYPES = ('axis_angle', 'pca', 'rot6d', 'rotmat')


def resolve_mano_path(model_path: str, is_rhand: bool = True) -> str:
    """A MANO pickle path from a file or a folder holding ``MANO_RIGHT.pkl``/``MANO_LEFT.pkl``."""
    if osp.isdir(model_path):
        model_path = osp.join(model_path, 'MANO_RIGHT.pkl' if is_rhand else 'MANO_LEFT.pkl')
    if not osp.isfile(model_path):
        raise FileNotFoundError(
            f'MANO model {model_path!r} not found. Use the real MANO_RIGHT.pkl, or make the '
            'surrogate with: python tools/misc/make_surrogate_mano.py data/mano')
    return model_path


@MODELS.register_module()
class MANOLayer(nn.Module):
    """Batched MANO (right hand) returning 778 vertices and 21 canonical joints, metres.

    Joints: MANO's 16 regressed joints then 5 fingertip vertices (thumb, index, middle,
    ring, little; ``tip_vertex_ids``). Built on ``smplx.MANO`` (its buffers and ``lbs``);
    the pickle is read without chumpy (official or converted files alike).

    Args:
        model_path: ``MANO_RIGHT.pkl`` or the folder holding it.
        flat_hand_mean: if False, MANO's mean pose is added to axis-angle/PCA hand poses
            (Dex-YCB's convention); HO3D stores flat-hand-mean poses.
        num_pca_comps: components used by ``pose_type='pca'`` (up to 45; all 45 decode
            exactly, unlike smplx which treats 45 as "no PCA").
        tip_vertex_ids: fingertip vertex ids (HO3D's by default).
        root_relative: subtract the root (wrist) joint from joints and vertices.
    """

    def __init__(self, model_path: str = 'data/mano', flat_hand_mean: bool = True,
                 num_pca_comps: int = 45,
                 tip_vertex_ids: Sequence[int] = HO3D_TIP_VERTEX_IDS,
                 root_relative: bool = False, is_rhand: bool = True) -> None:
        super().__init__()
        path = resolve_mano_path(model_path, is_rhand)
        data = to_numpy_only(load_mano_pickle(path))
        self.is_surrogate = bool(data.get('surrogate', False))
        mano = smplx.MANO(osp.dirname(path), is_rhand=is_rhand, data_struct=Struct(**data),
                          use_pca=False, flat_hand_mean=True, create_hand_pose=False,
                          create_global_orient=False, create_betas=False,
                          create_transl=False, batch_size=1)
        for name in ('v_template', 'shapedirs', 'posedirs', 'J_regressor', 'parents',
                     'lbs_weights'):
            self.register_buffer(name, getattr(mano, name).clone(), persistent=False)
        # the kinematic tree as Python integers: indexing by tensor elements waits for the
        # device once per joint (hoverse.hand_models.skinning)
        self.tree_levels = tree_levels(mano.parents.tolist())
        self.register_buffer('faces', mano.faces_tensor.clone().long(), persistent=False)
        self.register_buffer('closed_faces',
                             torch.as_tensor(closed_wrist_faces(data['f'].astype(np.int64))),
                             persistent=False)
        comps = torch.as_tensor(np.asarray(data['hands_components'], np.float32))
        self.register_buffer('pca_components', comps[:num_pca_comps], persistent=False)
        self.register_buffer('pose_mean', torch.as_tensor(
            np.asarray(data['hands_mean'], np.float32)) * (0.0 if flat_hand_mean else 1.0),
            persistent=False)
        self.register_buffer('tip_ids', torch.as_tensor(list(tip_vertex_ids)), persistent=False)
        self.num_pca_comps = num_pca_comps
        self.flat_hand_mean = flat_hand_mean
        self.root_relative = root_relative
        self.model_path = path

    @property
    def num_verts(self) -> int:
        return self.v_template.shape[0]

    def pose_to_rotmats(self, global_orient: torch.Tensor, hand_pose: torch.Tensor,
                        pose_type: str = 'axis_angle') -> torch.Tensor:
        """Full pose as rotation matrices ``(B, 16, 3, 3)``.

        Shapes by ``pose_type``: ``axis_angle`` (B, 3) and (B, 45); ``pca`` (B, 3) and
        (B, n <= num_pca_comps); ``rot6d`` (B, 6) and (B, 15, 6) or (B, 90); ``rotmat``
        (B, 3, 3) and (B, 15, 3, 3). Rotation inputs (``rot6d``/``rotmat``) are the full
        joint rotations: the mean pose is not added to them.
        """
        B = global_orient.shape[0]
        if pose_type in ('axis_angle', 'pca'):
            if pose_type == 'pca':
                n = hand_pose.shape[-1]
                if n > self.pca_components.shape[0]:
                    raise ValueError(f'pca hand pose has {n} coefficients; the layer keeps '
                                     f'{self.pca_components.shape[0]} (num_pca_comps)')
                hand_pose = hand_pose @ self.pca_components[:n]
            if hand_pose.shape[-1] != 45 or global_orient.shape[-1] != 3:
                raise ValueError(f'axis-angle pose expects (B, 3) and (B, 45), got '
                                 f'{tuple(global_orient.shape)} and {tuple(hand_pose.shape)}')
            full = torch.cat([global_orient, hand_pose + self.pose_mean], -1).view(B, 16, 3)
            return axis_angle_to_matrix(full)
        if pose_type == 'rot6d':
            full = torch.cat([global_orient.reshape(B, 1, 6), hand_pose.reshape(B, 15, 6)], 1)
            return rot6d_to_matrix(full)
        if pose_type == 'rotmat':
            return torch.cat([global_orient.reshape(B, 1, 3, 3),
                              hand_pose.reshape(B, 15, 3, 3)], 1)
        raise ValueError(f'pose_type must be one of {POSE_TYPES}, got {pose_type!r}')

    def forward(self, global_orient: torch.Tensor, hand_pose: torch.Tensor,
                betas: Optional[torch.Tensor] = None, transl: Optional[torch.Tensor] = None,
                pose_type: str = 'axis_angle',
                root_relative: Optional[bool] = None) -> Dict[str, torch.Tensor]:
        """Pose the hand.

        Returns:
            dict: ``verts (B, 778, 3)``, ``joints (B, 21, 3)`` (canonical order),
            ``rotmats (B, 16, 3, 3)``, all in metres in the MANO/camera frame, plus
            ``root (B, 3)``, the wrist joint before any root-relative shift.
        """
        rotmats = self.pose_to_rotmats(global_orient, hand_pose, pose_type)
        B = rotmats.shape[0]
        dtype = self.v_template.dtype
        if betas is None:
            betas = torch.zeros(B, self.shapedirs.shape[-1], dtype=dtype, device=rotmats.device)
        verts, joints16 = linear_blend_skinning(
            betas.to(dtype), rotmats.to(dtype), self.v_template, self.shapedirs, self.posedirs,
            self.J_regressor, self.tree_levels, self.lbs_weights)
        joints = torch.cat([joints16, verts[:, self.tip_ids]], 1)
        if transl is not None:
            verts = verts + transl[:, None]
            joints = joints + transl[:, None]
        root = joints[:, 0]
        if self.root_relative if root_relative is None else root_relative:
            verts = verts - root[:, None]
            joints = joints - root[:, None]
        return dict(verts=verts, joints=joints, rotmats=rotmats, root=root)


_warned_surrogate = False


def warn_if_surrogate(layer: MANOLayer) -> None:
    """Say once per process that results come from the surrogate hand model."""
    global _warned_surrogate
    if layer.is_surrogate and not _warned_surrogate:
        warnings.warn(f'{layer.model_path} is the procedural surrogate MANO model: meshes are '
                      'hand-like but not MANO; use the real MANO_RIGHT.pkl for published '
                      'numbers')
        _warned_surrogate = True
