"""Turn predicted data samples into what demos write: meshes, JSON, pictures."""
from typing import Dict, Optional, Tuple

import numpy as np

from hoverse.geometry.camera import project_points
from hoverse.geometry.rotations import rot6d_to_matrix


def _np(x) -> np.ndarray:
    return x.detach().cpu().numpy() if hasattr(x, 'detach') else np.asarray(x)


def object_mesh(model, sample) -> Optional[Tuple[np.ndarray, np.ndarray]]:
    """The held object's template posed in the camera frame ``(V, 3), (F, 3)``, or None
    when the sample names no object the model has a template for."""
    name = sample.metainfo.get('obj_name')
    lib = model.templates.library
    if name is None or lib is None or name not in lib:
        return None
    obj = lib[name]
    p = sample.pred_instances
    R, t = _np(p.obj_rot_cam)[0], _np(p.obj_trans_cam)[0]
    return obj.vertices @ R.T + t, obj.faces


def prediction_dict(sample) -> Dict:
    """JSON-ready predictions (camera frame, metres): MANO parameters (axis-angle pose of
    16 joints in the crop camera frame's convention, shape), joints, root, object pose."""
    import roma
    import torch
    p = sample.pred_instances
    rotmats = rot6d_to_matrix(torch.as_tensor(_np(p.mano_rot6d)[0]))
    Rz = np.asarray(sample.metainfo.get('cam_rot', np.eye(3)), np.float64)
    rotmats[0] = torch.as_tensor(Rz.T, dtype=rotmats.dtype) @ rotmats[0]  # camera frame
    out = dict(
        image=sample.metainfo.get('img_path'), bbox=_np(sample.metainfo['bbox']).tolist(),
        root_source=sample.metainfo.get('root_source'),
        mano=dict(global_orient=roma.rotmat_to_rotvec(rotmats[:1]).reshape(-1).tolist(),
                  hand_pose=roma.rotmat_to_rotvec(rotmats[1:]).reshape(-1).tolist(),
                  betas=_np(p.mano_shape)[0].tolist(), pose_convention='axis-angle, '
                  'flat-hand mean, global orientation in the camera frame'),
        joints_cam=_np(p.joints_cam)[0].tolist(),
        joints_2d=image_keypoints(sample).tolist(),
        object=dict(name=sample.metainfo.get('obj_name'),
                    rotation=_np(p.obj_rot_cam)[0].tolist(),
                    translation=_np(p.obj_trans_cam)[0].tolist()),
        camera=_np(sample.metainfo['orig_cam_K']).tolist(), units='metres')
    return out


def image_keypoints(sample) -> np.ndarray:
    """Predicted joints projected into the original image ``(21, 2)`` pixels."""
    K = np.asarray(sample.metainfo['orig_cam_K'], np.float64)
    return project_points(_np(sample.pred_instances.joints_cam)[0].astype(np.float64), K)


def draw_result(model, image: np.ndarray, sample, side: bool = True,
                renderer=None) -> Dict[str, np.ndarray]:
    """``overlay`` (meshes over ``image``), ``side`` (turned 90 degrees, on white) and
    ``joints`` (2D skeleton and object box on ``image``), RGB uint8, drawn by
    :class:`~hoverse.visualization.HandObjectVisualizer`."""
    from hoverse.visualization import HandObjectVisualizer
    vis = HandObjectVisualizer.get_instance('hoverse_demo')  # created once, then reused
    hf = model.mano_head.mano.faces.cpu().numpy()
    return vis.draw_reconstruction(image, sample, hf, object_mesh(model, sample), side,
                                   renderer)
