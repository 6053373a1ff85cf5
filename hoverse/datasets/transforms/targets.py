"""Training targets in the crop camera frame (metres, pixels of the crop)."""
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from hoverse.geometry.camera import crop_rotation_to_camera, crop_to_camera, project_points
from hoverse.registry import TRANSFORMS

from .bbox import object_points_cam


@TRANSFORMS.register_module()
class GenerateTargets(BaseTransform):
    """Encode the sample's ground truth as the model's targets.

    Adds ``joints_3d (21, 3)`` root-relative, ``keypoints_2d (21, 2)`` crop pixels,
    ``joints_valid`` (0 where the split has no joints), ``obj_trans_rel (3,)`` object
    translation relative to the hand root, ``obj_corners_3d (8, 3)`` root-relative,
    ``obj_kpts_2d (9, 2)`` (8 corners + centre, crop pixels), ``has_mano`` and zero-filled
    MANO fields where absent; and the ground truth in the image's camera frame (the crop's
    rotation undone once, :func:`~hoverse.geometry.camera.crop_to_camera`) beside it, as
    the predictions give it: ``orig_joints_cam (21, 3)`` (where the split has joints),
    ``orig_root_cam (3,)``, ``orig_obj_rot (3, 3)``, ``orig_obj_trans (3,)``, metres.
    """

    def transform(self, results: Dict) -> Dict:
        K = results['cam_K']
        root = np.asarray(results['root_cam'], np.float32)
        joints = results.get('joints_cam')
        if joints is not None:
            results['joints_3d'] = (joints - root).astype(np.float32)
            results['keypoints_2d'] = project_points(joints, K).astype(np.float32)
            results['joints_valid'] = np.float32(1)
        else:
            results['joints_3d'] = np.zeros((21, 3), np.float32)
            results['keypoints_2d'] = np.zeros((21, 2), np.float32)
            results['joints_valid'] = np.float32(0)
        corners_cam = object_points_cam(results).astype(np.float32)
        center_cam = results['obj_rot'] @ results['obj_corners_rest'].mean(0) + results['obj_trans']
        results['obj_trans_rel'] = (results['obj_trans'] - root).astype(np.float32)
        results['obj_corners_3d'] = (corners_cam - root).astype(np.float32)
        results['obj_kpts_2d'] = project_points(
            np.concatenate([corners_cam, center_cam[None]]), K).astype(np.float32)
        Rz = np.asarray(results.get('cam_rot', np.eye(3)), np.float32)
        if joints is not None:
            results['orig_joints_cam'] = crop_to_camera(np.asarray(joints, np.float32), Rz)
        results['orig_root_cam'] = crop_to_camera(root[None], Rz)[0]
        results['orig_obj_rot'] = crop_rotation_to_camera(
            np.asarray(results['obj_rot'], np.float32), Rz)
        results['orig_obj_trans'] = crop_to_camera(
            np.asarray(results['obj_trans'], np.float32)[None], Rz)[0]
        has_mano = results.get('mano_pose') is not None
        results['has_mano'] = np.float32(has_mano)
        if not has_mano:
            results['mano_pose'] = np.zeros(48, np.float32)
            results['mano_shape'] = np.zeros(10, np.float32)
            results['mano_transl'] = np.zeros(3, np.float32)
        return results
