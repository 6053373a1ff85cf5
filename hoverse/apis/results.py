"""Turn predicted data samples into what demos write: meshes, JSON, pictures."""
from typing import Dict, Optional, Tuple

import numpy as np
import torch

from hoverse.geometry.camera import crop_rotation_to_camera, project_points
from hoverse.geometry.mirror import mirror_faces, mirror_points
from hoverse.geometry.rotations import matrix_to_axis_angle, rot6d_to_matrix
from hoverse.utils.arrays import to_numpy


def object_mesh(model, sample) -> Optional[Tuple[np.ndarray, np.ndarray]]:
    """The held object's template posed in the camera frame ``(V, 3), (F, 3)``, or None
    when the sample names no object the model has a template for. A mirrored sample
    (``metainfo['obj_mirrored']``: a left hand) poses the mirrored template."""
    name = sample.metainfo.get('obj_name')
    lib = model.templates.library
    if name is None or lib is None or name not in lib:
        return None
    obj = lib[name]
    p = sample.pred_instances
    R, t = to_numpy(p.obj_rot_cam)[0], to_numpy(p.obj_trans_cam)[0]
    verts, faces = obj.vertices, obj.faces
    if sample.metainfo.get('obj_mirrored', False):
        verts, faces = mirror_points(verts), mirror_faces(faces)
    return verts @ R.T + t, faces


def prediction_dict(sample) -> Dict:
    """JSON-ready predictions (camera frame, metres): MANO parameters (axis-angle pose of
    16 joints in the crop camera frame's convention, shape), joints, root, object pose."""
    p = sample.pred_instances
    rotmats = rot6d_to_matrix(torch.as_tensor(to_numpy(p.mano_rot6d)[0]))
    rotmats[0] = crop_rotation_to_camera(rotmats[0], sample.metainfo.get('cam_rot', np.eye(3)))
    out = dict(
        image=sample.metainfo.get('img_path'), bbox=to_numpy(sample.metainfo['bbox']).tolist(),
        root_source=sample.metainfo.get('root_source'),
        hand_side=sample.metainfo.get('hand_side', 'right'),
        hand_model=sample.metainfo.get('hand_model'),
        mano=dict(global_orient=matrix_to_axis_angle(rotmats[:1]).reshape(-1).tolist(),
                  hand_pose=matrix_to_axis_angle(rotmats[1:]).reshape(-1).tolist(),
                  betas=to_numpy(p.mano_shape)[0].tolist(), pose_convention='axis-angle, '
                  'flat-hand mean, global orientation in the camera frame' + (
                      '; right-hand model in the horizontally flipped image (a left hand)'
                      if sample.metainfo.get('hand_side') == 'left' else '')),
        joints_cam=to_numpy(p.joints_cam)[0].tolist(),
        joints_2d=image_keypoints(sample).tolist(),
        object=dict(name=sample.metainfo.get('obj_name'),
                    name_source=sample.metainfo.get('obj_name_source', 'given'),
                    top=[dict(name=n, probability=q)
                         for n, q in (sample.metainfo.get('obj_cls_top') or [])[:3]],
                    mirrored=bool(sample.metainfo.get('obj_mirrored', False)),
                    rotation=to_numpy(p.obj_rot_cam)[0].tolist(),
                    translation=to_numpy(p.obj_trans_cam)[0].tolist()),
        camera=to_numpy(sample.metainfo['orig_cam_K']).tolist(), units='metres',
        physical_fit=sample.metainfo.get('physical_fit'))
    return out


def frame_record(sample, hand_object_box, box_source: str, detection=None, frame: int = 0,
                 time_s: float = 0.0, hand_fit: Optional[str] = None,
                 camera_source: Optional[str] = None) -> Dict:
    """One image's or video frame's results as the demos write them (``--out-json``, one
    JSON object per line; the image demo's ``*_pred.json``): ``frame``, ``time_s``
    (seconds into the video), ``hand_object_box`` (the crop's box, image pixels, or None),
    ``box_source`` (``'given'``, ``'detection'``, ``'tracking'`` or ``'kept'``:
    :data:`hoverse.apis.tracking.BOX_SOURCES`), ``detection`` (the detector's hand:
    ``HandDetection.to_dict``, or None), ``hand_fit`` (the 2D joints the test-time hand
    fit aimed at: ``'landmarks'``, ``'model'``, or None without a fit:
    :mod:`hoverse.apis.fit_target`), ``camera_source`` (where the intrinsics came from:
    :data:`hoverse.apis.camera_intrinsics.CAMERA_SOURCES`) and ``reconstructed``; with a
    ``sample`` (a
    reconstruction), :func:`prediction_dict`'s fields too."""
    out = dict(frame=int(frame), time_s=float(time_s),
               hand_object_box=None if hand_object_box is None else
               [float(v) for v in hand_object_box], box_source=box_source,
               detection=None if detection is None else detection.to_dict(),
               hand_fit=hand_fit if sample is not None else None,
               camera_source=camera_source,
               reconstructed=sample is not None)
    if sample is not None:
        out.update(prediction_dict(sample))
    return out


def image_keypoints(sample) -> np.ndarray:
    """Predicted joints projected into the original image ``(21, 2)`` pixels."""
    K = np.asarray(sample.metainfo['orig_cam_K'], np.float64)
    return project_points(to_numpy(sample.pred_instances.joints_cam)[0].astype(np.float64), K)


def hand_faces(model, sample) -> np.ndarray:
    """The hand mesh's faces ``(F, 3)`` for ``sample``: a left hand (a mirrored right hand,
    ``metainfo['hand_side']``) has its winding flipped so that normals point outwards."""
    faces = model.mano_head.mano.faces.cpu().numpy()
    if sample.metainfo.get('hand_side') == 'left':
        faces = mirror_faces(faces)
    return faces


def draw_result(model, image: np.ndarray, sample, side: bool = True,
                renderer=None) -> Dict[str, np.ndarray]:
    """``overlay`` (meshes over ``image``), ``side`` (turned 90 degrees, on white) and
    ``joints`` (2D skeleton and object box on ``image``), RGB uint8, drawn by
    :class:`~hoverse.visualization.HandObjectVisualizer`."""
    from hoverse.visualization import HandObjectVisualizer
    vis = HandObjectVisualizer.get_instance('hoverse_demo')  # created once, then reused
    return vis.draw_reconstruction(image, sample, hand_faces(model, sample),
                                   object_mesh(model, sample), side,
                                   renderer)
