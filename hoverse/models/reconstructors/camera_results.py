"""Per-sample prediction fields in the image's camera frame, and ground-truth meshes for the
mesh metrics: the reconstructor's bookkeeping after the heads, kept out of the model."""
from typing import Dict, List, Optional

import numpy as np
import torch
from mmengine.structures import InstanceData

from hoverse.geometry.camera import crop_rotation_to_camera, crop_to_camera, project_points


def camera_frame_fields(pred: InstanceData, joints_rel: torch.Tensor, verts_rel: torch.Tensor,
                        R: torch.Tensor, t_rel: torch.Tensor, root: torch.Tensor,
                        K: torch.Tensor, cam_rot, corners: Optional[torch.Tensor]) -> None:
    """Add to ``pred`` (one sample): ``keypoints_2d (1, 21, 2)`` crop pixels,
    ``joints_cam``, ``verts_cam``, ``obj_rot_cam``, ``obj_trans_cam`` (image camera frame,
    metres) and, with the template's box ``corners (8, 3)``, ``obj_corners_3d``
    (root-relative, crop frame) and ``obj_corners_2d`` (crop pixels).

    Inputs are the heads' crop-frame outputs: ``joints_rel (21, 3)``, ``verts_rel
    (778, 3)``, the object's ``R (3, 3)`` and ``t_rel (3,)``, placed at ``root (3,)`` (crop
    frame) and seen by ``K (3, 3)``; ``cam_rot`` is the crop's ``R_z``.
    """
    joints_crop = joints_rel + root
    pred.keypoints_2d = project_points(joints_crop, K)[None]
    pred.joints_cam = crop_to_camera(joints_crop, cam_rot)[None]
    pred.verts_cam = crop_to_camera(verts_rel + root, cam_rot)[None]
    pred.obj_rot_cam = crop_rotation_to_camera(R, cam_rot)[None]
    pred.obj_trans_cam = crop_to_camera((t_rel + root)[None], cam_rot)
    if corners is not None:
        c = corners @ R.T + t_rel
        pred.obj_corners_3d = c[None]
        pred.obj_corners_2d = project_points(c + root, K)[None]


@torch.no_grad()
def add_gt_meshes(mano_layer, data_samples: List, device: torch.device) -> None:
    """Ground-truth vertices from the GT MANO parameters, for the mesh metrics:
    ``gt_instances.verts_3d (1, 778, 3)`` root-relative in the crop camera frame and
    ``orig_verts_cam`` in the image's camera frame."""
    have = [s for s in data_samples if s.get('gt_instances') is not None
            and 'mano_pose' in s.gt_instances and float(s.gt_instances.has_mano[0]) > 0]
    if not have:
        return
    pose = torch.cat([s.gt_instances.mano_pose for s in have]).to(device)
    shape = torch.cat([s.gt_instances.mano_shape for s in have]).to(device)
    verts = mano_layer(pose[:, :3], pose[:, 3:], shape)['verts'].cpu()
    for s, v in zip(have, verts):
        s.gt_instances.verts_3d = v[None]
        if 'root_cam' in s.gt_instances:
            s.gt_instances.orig_verts_cam = crop_to_camera(
                v + s.gt_instances.root_cam[0].cpu(), s.metainfo.get('cam_rot', np.eye(3)))[None]


def sample_fields(fields: Dict[str, torch.Tensor], b: int) -> InstanceData:
    """Sample ``b`` of the heads' batched prediction fields, each with its leading 1."""
    return InstanceData(**{k: v[b][None] for k, v in fields.items()})
