"""From the heads' batched crop-frame fields to each sample's ``pred_instances`` in the
image's camera frame: the reconstructor's bookkeeping after the heads."""
from typing import Dict, List

import numpy as np
import torch
from mmengine.structures import InstanceData

from hoverse.geometry.camera import crop_rotation_to_camera, crop_to_camera, project_points

#: fields a head returns for this step only (not kept in ``pred_instances``)
PACKING_FIELDS = ('obj_box_rest', 'obj_box_known')


def pack_predictions(fields: Dict[str, torch.Tensor], data_samples: List, cam_K: torch.Tensor,
                     use_gt_root: bool, hand_model: str) -> List:
    """Give every sample ``pred_instances``: its row of ``fields`` (each with its leading
    1), and, placed at the root (the sample's ground-truth ``root_cam`` when
    ``use_gt_root`` and it has one, else the predicted ``root_cam_pred``; recorded as
    ``metainfo['root_source']``): ``keypoints_2d (1, 21, 2)`` crop pixels, ``joints_cam``,
    ``verts_cam``, ``obj_rot_cam``, ``obj_trans_cam`` (image camera frame, metres) and,
    where the object's box is known, ``obj_corners_3d`` (root-relative, crop frame) and
    ``obj_corners_2d`` (crop pixels). ``cam_K (B, 3, 3)`` are the crop cameras;
    ``hand_model`` is stamped on every sample (numbers from the surrogate are not MANO's).
    """
    boxes, known = fields.get('obj_box_rest'), fields.get('obj_box_known')
    kept = {k: v for k, v in fields.items() if k not in PACKING_FIELDS}
    for b, s in enumerate(data_samples):
        root, source = fields['root_cam_pred'][b], 'pred'
        gt = s.get('gt_instances')
        if use_gt_root and gt is not None and 'root_cam' in gt:
            root, source = gt.root_cam[0].to(root.device), 'gt'
        pred = InstanceData(**{k: v[b][None] for k, v in kept.items()})
        cam_rot = s.metainfo.get('cam_rot', np.eye(3))
        joints_crop = fields['joints_3d'][b] + root
        R, t_rel = fields['obj_rot'][b], fields['obj_trans_rel'][b]
        pred.keypoints_2d = project_points(joints_crop, cam_K[b])[None]
        pred.joints_cam = crop_to_camera(joints_crop, cam_rot)[None]
        pred.verts_cam = crop_to_camera(fields['verts_3d'][b] + root, cam_rot)[None]
        pred.obj_rot_cam = crop_rotation_to_camera(R, cam_rot)[None]
        pred.obj_trans_cam = crop_to_camera((t_rel + root)[None], cam_rot)
        if known is not None and bool(known[b]):
            c = boxes[b] @ R.T + t_rel
            pred.obj_corners_3d = c[None]
            pred.obj_corners_2d = project_points(c + root, cam_K[b])[None]
        s.pred_instances = pred
        s.set_metainfo(dict(root_source=source, hand_model=hand_model))
    return data_samples
