"""Dex-YCB in its official layout, with the toolkit's s0-s3 splits."""
import os
import os.path as osp
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import yaml

from hoverse.geometry.mirror import (mirror_axis_angle, mirror_camera, mirror_points,
                                     mirror_rotation)
from hoverse.hand_models.joint_orders import CANONICAL_FROM_DEXYCB
from hoverse.hand_models.mano_io import load_mano_pickle
from hoverse.hand_models.mano_layer import resolve_mano_path
from hoverse.registry import DATASETS

from .base_hand_object_dataset import BaseHandObjectDataset
from .dexycb_splits import SERIALS, SUBJECTS, YCB_CLASSES, split_indices
from .mano_root import MANORoot

#: Dex-YCB's colour images are 640 pixels wide (the mirror of a left hand's frame)
IMAGE_WIDTH = 640


def _read_yaml(path: str) -> Dict[str, Any]:
    if not osp.isfile(path):
        raise FileNotFoundError(f'Dex-YCB file {path!r} is missing')
    with open(path) as f:
        return yaml.safe_load(f)


@DATASETS.register_module()
class DexYCBDataset(BaseHandObjectDataset):
    """Dex-YCB (``<subject>/<sequence>/{meta.yml, <serial>/color_%06d.jpg, labels_%06d.npz}``).

    Args:
        setup: ``'s0'`` ... ``'s3'``; split: ``'train' | 'val' | 'test'``.
        subjects / serials: override the official lists (for small fixtures).

    Frames with no hand (``pose_m`` all zero) or invalid joints (all -1) are excluded. MANO
    PCA coefficients decode with the side's model components and mean
    (``flat_hand_mean=False``, all 45 components), into flat-hand-mean axis-angle: a left
    hand's with the left model's (``MANO_LEFT.pkl`` beside the right one, else the right
    model's basis mirrored, which MANO's left model is). Left hands are mirrored to right
    hands at load time (image, camera, joints, MANO pose, object pose) and flagged
    ``is_left``; :meth:`unmirror_points` maps outputs back to the dataset's own frame.
    """

    METAINFO = dict(BaseHandObjectDataset.METAINFO, dataset_name='dexycb')

    def __init__(self, data_root: str, setup: str = 's0', split: str = 'train',
                 subjects: Optional[List[str]] = None, serials: Optional[List[str]] = None,
                 **kwargs: Any) -> None:
        self.setup, self.split = setup, split
        self.subj_ind, self.serial_ind, self.seq_ind = split_indices(setup, split)
        self.subjects = list(subjects or SUBJECTS)
        self.serials = list(serials or SERIALS)
        kwargs.setdefault('models_root', osp.join(data_root, 'models'))
        super().__init__(data_root=data_root, **kwargs)

    def index_key(self) -> Tuple:
        seqs = []
        for si in self.subj_ind:
            if si < len(self.subjects):
                d = osp.join(self.data_root, self.subjects[si])
                if osp.isdir(d):
                    seqs.append((d, tuple(sorted(os.listdir(d)))))
        left = osp.join(osp.dirname(resolve_mano_path(self.mano_path)), 'MANO_LEFT.pkl')
        return (self.setup, self.split, tuple(seqs), tuple(self.serials), self.mano_path,
                osp.isfile(left), self.models_root)

    def _sequences(self) -> List[str]:
        out = []
        for si in self.subj_ind:
            if si >= len(self.subjects):
                continue
            subj_dir = osp.join(self.data_root, self.subjects[si])
            if not osp.isdir(subj_dir):
                raise FileNotFoundError(f'Dex-YCB subject folder {subj_dir!r} is missing')
            seqs = sorted(d for d in os.listdir(subj_dir) if osp.isdir(osp.join(subj_dir, d)))
            out += [osp.join(self.subjects[si], seqs[i]) for i in self.seq_ind if i < len(seqs)]
        return out

    def pca_bases(self) -> Dict[str, Tuple[np.ndarray, np.ndarray]]:
        """``{'right': (components (45, 45), mean (45,)), 'left': ...}``: each side's MANO
        PCA basis of the finger poses. The left one is ``MANO_LEFT.pkl``'s where it lies
        beside the right model, else the right one mirrored (per joint ``(a, b, c) -> (a,
        -b, -c)``: MANO's left model is its right one mirrored)."""
        right = load_mano_pickle(resolve_mano_path(self.mano_path))
        bases = {'right': (np.asarray(right['hands_components'], np.float64)[:45],
                           np.asarray(right['hands_mean'], np.float64))}
        left_path = osp.join(osp.dirname(resolve_mano_path(self.mano_path)), 'MANO_LEFT.pkl')
        if osp.isfile(left_path):
            left = load_mano_pickle(left_path)
            bases['left'] = (np.asarray(left['hands_components'], np.float64)[:45],
                             np.asarray(left['hands_mean'], np.float64))
        else:
            comps, mean = bases['right']
            bases['left'] = (mirror_axis_angle(comps.reshape(45, 15, 3)).reshape(45, 45),
                             mirror_axis_angle(mean.reshape(15, 3)).reshape(45))
        return bases

    def build_index(self) -> List[Dict[str, Any]]:
        bases = self.pca_bases()
        root_fn = MANORoot(self.mano_path)
        intrinsics = {}
        out = []
        # the toolkit numbers every (sequence, camera, frame) of the split, frames without a
        # hand included: its HPE result files are keyed by that number
        official_index = -1
        for seq in self._sequences():
            meta = _read_yaml(osp.join(self.data_root, seq, 'meta.yml'))
            betas = np.asarray(_read_yaml(osp.join(
                self.data_root, 'calibration', f"mano_{meta['mano_calib'][0]}",
                'mano.yml'))['betas'], np.float64)
            is_left = meta['mano_sides'][0] == 'left'
            comps, mean = bases['left' if is_left else 'right']
            grasp_id = meta['ycb_ids'][meta['ycb_grasp_ind']]
            obj_name = YCB_CLASSES[grasp_id]
            for ci in self.serial_ind:
                if ci >= len(self.serials):
                    continue
                serial = self.serials[ci]
                if serial not in intrinsics:
                    intr = _read_yaml(osp.join(self.data_root, 'calibration', 'intrinsics',
                                               f'{serial}_640x480.yml'))['color']
                    intrinsics[serial] = np.array([[intr['fx'], 0, intr['ppx']],
                                                   [0, intr['fy'], intr['ppy']], [0, 0, 1.0]])
                for fi in range(meta['num_frames']):
                    official_index += 1
                    folder = osp.join(self.data_root, seq, serial)
                    label_path = osp.join(folder, f'labels_{fi:06d}.npz')
                    sample = self._convert(label_path, meta, intrinsics[serial], betas, is_left,
                                           obj_name, comps, mean, root_fn)
                    if sample is None:
                        self.num_skipped += 1
                        continue
                    sample.update(img_path=osp.join(folder, f'color_{fi:06d}.jpg'), seq=seq,
                                  frame=fi, serial=serial,
                                  sample_id=f'{seq}/{serial}/{fi:06d}',
                                  official_index=official_index)
                    out.append(sample)
        return out

    def _convert(self, label_path: str, meta: Dict[str, Any], K: np.ndarray,
                 betas: np.ndarray, is_left: bool, obj_name: str, comps: np.ndarray,
                 mean: np.ndarray, root_fn: MANORoot) -> Optional[Dict[str, Any]]:
        if not osp.isfile(label_path):
            raise FileNotFoundError(f'Dex-YCB label file {label_path!r} is missing')
        with np.load(label_path, allow_pickle=False) as z:
            pose_m = np.asarray(z['pose_m'], np.float64).reshape(-1)
            joint_3d = np.asarray(z['joint_3d'], np.float64).reshape(21, 3)
            pose_y = np.asarray(z['pose_y'], np.float64)[meta['ycb_grasp_ind']]
        if np.all(pose_m == 0) or np.all(joint_3d == -1):
            return None
        pose = np.concatenate([pose_m[:3], pose_m[3:48] @ comps + mean])
        joints = joint_3d[list(CANONICAL_FROM_DEXYCB)]
        R_obj, t_obj = pose_y[:, :3], pose_y[:, 3]
        K = K.copy()
        if is_left:
            joints = mirror_points(joints)
            pose = mirror_axis_angle(pose.reshape(16, 3)).reshape(48)
            R_obj, t_obj = mirror_rotation(R_obj), mirror_points(t_obj)
            K = mirror_camera(K, IMAGE_WIDTH)
        corners = self._object_corners(obj_name, None)
        if is_left:  # the template is mirrored with the sample
            corners = mirror_points(corners)
        root = joints[0]
        j0 = root_fn(betas)
        return dict(cam_K=K.astype(np.float32), joints_cam=joints.astype(np.float32),
                    root_cam=root.astype(np.float32), mano_pose=pose.astype(np.float32),
                    mano_shape=betas[:10].astype(np.float32),
                    mano_transl=(root - j0).astype(np.float32), mano_j0=j0.astype(np.float32),
                    obj_name=obj_name, obj_rot=R_obj.astype(np.float32),
                    obj_trans=t_obj.astype(np.float32),
                    obj_corners_rest=corners.astype(np.float32), hand_bbox=None,
                    is_left=is_left, obj_mirrored=is_left, flip_image=is_left)

    @staticmethod
    def unmirror_points(points: np.ndarray, is_left: bool) -> np.ndarray:
        """Map camera-frame points ``(..., 3)`` of a mirrored sample back to the dataset's frame."""
        return mirror_points(points) if is_left else points
