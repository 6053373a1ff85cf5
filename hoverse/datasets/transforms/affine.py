"""Square crop around the hand-object box, with jitter, and consistent 3D targets."""
from typing import Dict, Optional, Sequence, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from scipy.spatial.transform import Rotation

from hoverse.geometry.camera import crop_camera, get_crop_affine
from hoverse.registry import TRANSFORMS

from .loading import decode_for_crop


def rotate_sample_about_optical_axis(results: Dict, Rz: np.ndarray) -> None:
    """Apply the camera rotation ``Rz (3, 3)`` to every camera-frame quantity in place."""
    for key in ('joints_cam', 'verts_cam'):
        if results.get(key) is not None:
            results[key] = (results[key] @ Rz.T).astype(np.float32)
    for key in ('root_cam', 'obj_trans'):
        if results.get(key) is not None:
            results[key] = (Rz @ results[key]).astype(np.float32)
    if results.get('obj_rot') is not None:
        results['obj_rot'] = (Rz @ results['obj_rot']).astype(np.float32)
    if results.get('mano_pose') is not None:
        pose = results['mano_pose'].copy()
        pose[:3] = Rotation.from_matrix(Rz @ Rotation.from_rotvec(pose[:3]).as_matrix()).as_rotvec()
        results['mano_pose'] = pose.astype(np.float32)
        # the root moves with Rz; MANO rotates about J0, so re-derive the translation
        results['mano_transl'] = (results['root_cam'] - results['mano_j0']).astype(np.float32)


@TRANSFORMS.register_module()
class TopDownAffine(BaseTransform):
    """Warp a square crop around ``results['bbox']`` to ``input_size``.

    The crop's side is ``padding`` times the box's longer side. With ``random=True`` the
    centre shifts by up to ``shift_factor`` of the side, the side scales by a factor drawn
    from ``scale_range`` and the crop rotates by up to ``rot_deg`` degrees. A crop rotation
    is a camera rotation about its optical axis: every 3D target rotates with it and the
    crop camera ``cam_K`` stays a pinhole matrix, so projecting the new 3D joints with the
    new camera lands on the warped image.

    Sets ``img`` (the crop), ``cam_K`` (crop camera), ``orig_cam_K``, ``crop_affine (2, 3)``,
    ``cam_rot (3, 3)`` (``R_z``: original camera -> crop camera frame).
    """

    def __init__(self, input_size: Tuple[int, int] = (256, 256), padding: float = 1.3,
                 random: bool = False, shift_factor: float = 0.1,
                 scale_range: Sequence[float] = (0.85, 1.2), rot_deg: float = 30.0,
                 rot_prob: float = 0.6) -> None:
        self.input_size = tuple(input_size)
        self.padding = padding
        self.random = random
        self.shift_factor = shift_factor
        self.scale_range = scale_range
        self.rot_deg = rot_deg
        self.rot_prob = rot_prob

    def _params(self, box: np.ndarray) -> Tuple[np.ndarray, float, float]:
        center = np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2], np.float64)
        size = max(box[2] - box[0], box[3] - box[1], 2.0) * self.padding
        rot = 0.0
        if self.random:
            center = center + np.random.uniform(-1, 1, 2) * self.shift_factor * size
            size = size * np.random.uniform(*self.scale_range)
            if np.random.rand() < self.rot_prob:
                rot = float(np.random.uniform(-self.rot_deg, self.rot_deg))
        return center, float(size), rot

    def transform(self, results: Dict) -> Optional[Dict]:
        center, size, rot = self._params(results['bbox'])
        M = get_crop_affine(center, size, rot, self.input_size)
        img, M_img = results['img'], M
        if img is None:  # LoadImage(decode_at_crop_size=True) left a JPEG to decode here
            img, S = decode_for_crop(results, size, max(self.input_size))
            M_img = M @ S
        results['img'] = cv2.warpAffine(img, M_img, self.input_size,
                                        flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0))
        if results.get('mask') is not None:
            results['mask'] = cv2.warpAffine(results['mask'], M, self.input_size,
                                             flags=cv2.INTER_NEAREST, borderValue=0)
        K = np.asarray(results['cam_K'], np.float64)
        K_crop, Rz = crop_camera(K, M)
        results['orig_cam_K'] = K.astype(np.float32)
        results['cam_K'] = K_crop.astype(np.float32)
        results['crop_affine'] = M.astype(np.float32)
        results['cam_rot'] = Rz.astype(np.float32)
        rotate_sample_about_optical_axis(results, Rz)
        results['img_shape'] = results['img'].shape[:2]
        results['input_size'] = self.input_size
        return results
