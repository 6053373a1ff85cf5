"""HO3D's on-disk format: the meta pickles, the depth encoding and the trees of v2 and v3.

Written from HO3D's README and its toolkit's readers (``vis_utils.read_annotation``,
``read_depth_img``, ``eval.py``): every annotation is in OpenGL camera axes (y up, z
backwards), metres, the joints in HO3D's order (MANO's 16, then the tips: hoverse's
canonical order), pickled for Python 2 (protocol 2) with numpy float32 arrays.
"""
from typing import Dict, List

import numpy as np
from scipy.spatial.transform import Rotation

from hoverse.geometry.camera import GL_TO_CV, project_points

#: the keys of a training frame's meta pickle, per version (v3 adds the camera ids and
#: per-vertex contact annotations)
TRAIN_KEYS = {
    'v2': ('handBeta', 'handTrans', 'handPose', 'handJoints3D', 'camMat', 'objRot', 'objTrans',
           'objCorners3D', 'objCorners3DRest', 'objName', 'objLabel'),
}
TRAIN_KEYS['v3'] = TRAIN_KEYS['v2'] + ('camIDList', 'handVertContact', 'handVertDist',
                                       'handVertIntersec', 'handVertObjSurfProj')
#: the keys of an evaluation frame's meta: the hand hidden but for its root joint and box
EVAL_KEYS = ('objRot', 'objTrans', 'handBoundingBox', 'handJoints3D', 'objCorners3DRest',
             'objCorners3D', 'camMat', 'objName', 'objLabel')
#: rgb image extension per version (v3's are JPEG)
IMAGE_EXT = {'v2': '.png', 'v3': '.jpg'}
#: metres per unit of the 16-bit depth HO3D stores in the red (low byte) and green (high
#: byte) channels of its depth PNGs
DEPTH_SCALE = 0.00012498664727900177
#: a MANO vertex counts as in contact within this distance of the object (HO3D v3 README)
CONTACT_DISTANCE = 0.004


def encode_depth(depth: np.ndarray) -> np.ndarray:
    """Depth ``(H, W)`` metres -> HO3D's depth image ``(H, W, 3)`` uint8 in OpenCV's BGR
    order (red = low byte, green = high byte)."""
    value = np.clip(np.round(np.asarray(depth, np.float64) / DEPTH_SCALE), 0, 65535)
    value = value.astype(np.uint16)
    out = np.zeros((*value.shape, 3), np.uint8)
    out[..., 2] = value & 255  # red
    out[..., 1] = value >> 8  # green
    return out


def decode_depth(image_bgr: np.ndarray) -> np.ndarray:
    """HO3D's depth image (as ``cv2.imread`` gives it) -> ``(H, W)`` metres."""
    img = np.asarray(image_bgr, np.float64)
    return (img[..., 2] + img[..., 1] * 256) * DEPTH_SCALE


def hand_box(joints_cam: np.ndarray, K: np.ndarray) -> List[float]:
    """``[x0, y0, x1, y1]``: the box of the hand's projected joints ``(21, 3)`` (OpenCV
    camera frame), as the evaluation metas' ``handBoundingBox`` is written here."""
    uv = project_points(np.asarray(joints_cam, np.float64), K)
    return [float(v) for v in (*uv.min(0), *uv.max(0))]


def vertex_contacts(verts_cam: np.ndarray, obj_mesh, sdf) -> Dict[str, np.ndarray]:
    """HO3D v3's per-vertex annotations of hand vertices ``(778, 3)`` against the posed
    object (``obj_mesh``, a trimesh in the same frame; ``sdf(points) -> (N,)`` signed
    distances, negative inside): ``handVertDist`` (distance to the surface), ``handVertIntersec``
    (inside), ``handVertContact`` (within 4 mm) and ``handVertObjSurfProj`` (the nearest
    surface point), in that frame."""
    import trimesh
    closest, dist, _ = trimesh.proximity.closest_point(obj_mesh, np.asarray(verts_cam))
    inside = np.asarray(sdf(verts_cam)) < 0
    return dict(handVertDist=dist.astype(np.float32), handVertIntersec=inside,
                handVertContact=dist < CONTACT_DISTANCE,
                handVertObjSurfProj=closest.astype(np.float32))


def ho3d_meta(scene, obj_name: str, obj_label: int, version: str, split: str,
              contacts: Dict[str, np.ndarray] = None) -> Dict:
    """The meta pickle's dict of one composed scene (:class:`~hoverse.synthesis.generate.
    Scene`, OpenCV camera frame) as HO3D ``version`` writes it for ``split`` (``'train'``
    or ``'evaluation'``): OpenGL axes, float32 arrays; v3's training metas also take the
    per-vertex ``contacts`` (:func:`vertex_contacts`, OpenCV frame, converted here)."""
    if version not in TRAIN_KEYS:
        raise ValueError(f'HO3D version must be one of {sorted(TRAIN_KEYS)}, got {version!r}')
    if split not in ('train', 'evaluation'):
        raise ValueError(f"HO3D split must be 'train' or 'evaluation', got {split!r}")
    grasp, obj = scene.grasp, scene.obj
    f32 = np.float32
    root = scene.joints[0]
    corners_cam = obj.corners @ scene.R_obj.T + scene.t_obj
    meta = {
        'handPose': np.concatenate([Rotation.from_matrix(GL_TO_CV @ scene.R_g).as_rotvec(),
                                    grasp.hand_pose]).astype(f32),
        'handTrans': (GL_TO_CV @ root - grasp.joints[0]).astype(f32),
        'handBeta': np.asarray(grasp.betas, f32),
        'handJoints3D': (scene.joints @ GL_TO_CV.T).astype(f32),
        'camMat': np.asarray(scene.K, f32),
        'objRot': Rotation.from_matrix(GL_TO_CV @ scene.R_obj).as_rotvec().reshape(3, 1)
        .astype(f32),
        'objTrans': (GL_TO_CV @ scene.t_obj).astype(f32),
        'objCorners3D': (corners_cam @ GL_TO_CV.T).astype(f32),
        'objCorners3DRest': np.asarray(obj.corners, f32),
        'objName': obj_name,
        'objLabel': int(obj_label),
    }
    if split == 'evaluation':
        meta['handJoints3D'] = (GL_TO_CV @ root).astype(f32)
        meta['handBoundingBox'] = hand_box(scene.joints, scene.K)
        return {k: meta[k] for k in EVAL_KEYS}
    if version == 'v3':
        if contacts is None:
            raise ValueError("HO3D v3's training metas need the per-vertex contacts")
        meta['camIDList'] = ['0']
        meta['handVertContact'] = np.asarray(contacts['handVertContact'], bool)
        meta['handVertDist'] = np.asarray(contacts['handVertDist'], f32)
        meta['handVertIntersec'] = np.asarray(contacts['handVertIntersec'], bool)
        meta['handVertObjSurfProj'] = (np.asarray(contacts['handVertObjSurfProj'])
                                       @ GL_TO_CV.T).astype(f32)
    return {k: meta[k] for k in TRAIN_KEYS[version]}
