"""HO3D v2: the official on-disk format, converted once to OpenCV frame and canonical order."""
import os.path as osp
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
from scipy.spatial.transform import Rotation

from hoverse.geometry.camera import GL_TO_CV
from hoverse.hand_models.joint_orders import CANONICAL_FROM_HO3D
from hoverse.registry import DATASETS
from hoverse.utils.safe_pickle import NUMPY_GLOBALS, restricted_load

from .base_hand_object_dataset import BaseHandObjectDataset
from .mano_root import MANORoot

#: OpenGL -> OpenCV camera frame: a rotation by pi about x.


def load_ho3d_meta(path: str) -> Dict[str, Any]:
    """Read one HO3D meta pickle (Python 2, latin1) allowing only numpy/builtin types."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'HO3D meta file {path!r} is missing')
    meta = restricted_load(path, NUMPY_GLOBALS, what='HO3D meta', encoding='latin1')
    if not isinstance(meta, dict):
        raise ValueError(f'HO3D meta file {path!r} does not hold a dict')
    return meta


def _rotvec(x) -> np.ndarray:
    return Rotation.from_rotvec(np.asarray(x, np.float64).reshape(3)).as_matrix()


@DATASETS.register_module()
class HO3Dv2Dataset(BaseHandObjectDataset):
    """HO3D v2 (``<root>/{train,evaluation}/<SEQ>/{rgb,meta}/<FID>.png|.pkl``).

    Args:
        split: ``'train'`` or ``'evaluation'`` (the folder read).
        ann_file: split list (``SEQ/FID`` per line), default ``<split>.txt``; its order is
            kept (for ``evaluation.txt`` it is the submission order).
        img_ext: image extension in ``rgb/`` (``.png`` for HO3D v2; ``.jpg`` for v3).
        sequences: keep only these sequences of the list (None: all), e.g. the training
            sequences held out for validation.
        exclude_sequences: leave these sequences out (e.g. those held out of training).

    The evaluation split carries only the root joint and a hand box; those samples have
    ``joints_cam=None`` and ``mano_pose=None``. A sequence named in ``sequences`` or
    ``exclude_sequences`` that the list does not hold is an error (a typo would otherwise
    train on the validation frames, or validate on nothing).
    """

    METAINFO = dict(BaseHandObjectDataset.METAINFO, dataset_name='ho3d_v2')

    def __init__(self, data_root: str, split: str = 'train', ann_file: Optional[str] = None,
                 img_ext: str = '.png', sequences: Optional[Sequence[str]] = None,
                 exclude_sequences: Optional[Sequence[str]] = None, **kwargs: Any) -> None:
        if split not in ('train', 'evaluation'):
            raise ValueError(f"HO3D split must be 'train' or 'evaluation', got {split!r}")
        self.split = split
        self.img_ext = img_ext
        self.sequences = None if sequences is None else tuple(sequences)
        self.exclude_sequences = tuple(exclude_sequences or ())
        super().__init__(data_root=data_root, ann_file=ann_file or f'{split}.txt', **kwargs)

    def _split_file(self) -> str:
        path = self.ann_file
        if not osp.isfile(path):
            raise FileNotFoundError(f'HO3D split list {path!r} is missing (expected "SEQ/FID" '
                                    'lines)')
        return path

    def index_key(self) -> Tuple:
        return (self._file_key(self._split_file()), self.split, self.img_ext, self.mano_path,
                self.models_root, self.skip_unannotated, self.sequences,
                self.exclude_sequences)

    def selected_ids(self) -> List[str]:
        """``SEQ/FID`` of the list, in its order, restricted to the chosen sequences."""
        with open(self._split_file()) as f:
            ids = [ln.strip() for ln in f if ln.strip()]
        listed = {i.split('/')[0] for i in ids}
        for arg, names in (('sequences', self.sequences or ()),
                           ('exclude_sequences', self.exclude_sequences)):
            unknown = sorted(set(names) - listed)
            if unknown:
                raise ValueError(f'{type(self).__name__}: {arg} {unknown} are not in '
                                 f'{self._split_file()!r} (its sequences: '
                                 f'{", ".join(sorted(listed))})')
        return [i for i in ids if (self.sequences is None or i.split('/')[0] in self.sequences)
                and i.split('/')[0] not in self.exclude_sequences]

    def build_index(self) -> List[Dict[str, Any]]:
        ids = self.selected_ids()
        root_fn = MANORoot(self.mano_path)
        out = []
        for sid in ids:
            seq, fid = sid.split('/')
            folder = osp.join(self.data_root, self.split, seq)
            meta_path = osp.join(folder, 'meta', f'{fid}.pkl')
            meta = load_ho3d_meta(meta_path)
            try:
                sample = self._convert(meta, meta_path, root_fn)
            except _Unannotated as err:
                if not self.skip_unannotated:
                    raise ValueError(f'{meta_path}: {err}') from None
                self.num_skipped += 1
                continue
            sample.update(img_path=osp.join(folder, 'rgb', fid + self.img_ext), seq=seq,
                          frame=fid, sample_id=sid)
            out.append(sample)
        return out

    def _convert(self, meta: Dict[str, Any], path: str, root_fn: MANORoot) -> Dict[str, Any]:
        required = ['camMat', 'objRot', 'objTrans', 'objName', 'handJoints3D']
        if self.split == 'train':
            required += ['handPose', 'handTrans', 'handBeta']
        for key in required:
            if key not in meta:
                raise KeyError(f'{path}: HO3D meta has no key {key!r}')
            if meta[key] is None:
                raise _Unannotated(f'{key} is None')
        K = np.asarray(meta['camMat'], np.float64).reshape(3, 3)
        R_obj = GL_TO_CV @ _rotvec(meta['objRot'])
        t_obj = GL_TO_CV @ np.asarray(meta['objTrans'], np.float64).reshape(3)
        joints = np.asarray(meta['handJoints3D'], np.float64)
        sample = dict(cam_K=K.astype(np.float32), obj_name=str(meta['objName']),
                      obj_rot=R_obj.astype(np.float32), obj_trans=t_obj.astype(np.float32),
                      is_left=False, hand_bbox=None, joints_cam=None, mano_pose=None,
                      mano_shape=None, mano_transl=None, mano_j0=None)
        sample['obj_corners_rest'] = self._object_corners(
            sample['obj_name'], meta.get('objCorners3DRest'))
        if joints.shape == (3, ):  # evaluation split: root joint only
            root = GL_TO_CV @ joints
            if meta.get('handBoundingBox') is not None:
                sample['hand_bbox'] = np.asarray(meta['handBoundingBox'], np.float32)
        else:
            joints_cv = (joints @ GL_TO_CV.T)[list(CANONICAL_FROM_HO3D)]
            root = joints_cv[0]
            sample['joints_cam'] = joints_cv.astype(np.float32)
            if meta.get('handPose') is not None:
                pose = np.asarray(meta['handPose'], np.float64).reshape(48).copy()
                pose[:3] = Rotation.from_matrix(GL_TO_CV @ _rotvec(pose[:3])).as_rotvec()
                betas = np.asarray(meta['handBeta'], np.float64).reshape(10)
                j0 = root_fn(betas)
                sample.update(mano_pose=pose.astype(np.float32),
                              mano_shape=betas.astype(np.float32),
                              mano_transl=(root - j0).astype(np.float32),
                              mano_j0=j0.astype(np.float32))
        sample['root_cam'] = np.asarray(root, np.float32)
        return sample


class _Unannotated(ValueError):
    pass


@DATASETS.register_module()
class HO3Dv3Dataset(HO3Dv2Dataset):
    """HO3D v3: HO3D v2's layout and meta keys (v3's training metas add ``camIDList`` and
    per-vertex contact annotations, not read here) with JPEG images and more accurate
    annotations; 78,297 training and 20,137 evaluation frames."""

    METAINFO = dict(BaseHandObjectDataset.METAINFO, dataset_name='ho3d_v3')

    def __init__(self, data_root: str, split: str = 'train', ann_file: Optional[str] = None,
                 img_ext: str = '.jpg', **kwargs: Any) -> None:
        super().__init__(data_root, split=split, ann_file=ann_file, img_ext=img_ext, **kwargs)
