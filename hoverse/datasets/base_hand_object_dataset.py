"""Shared machinery of the hand-object datasets: cached index, skip counts, object boxes.

A loader implements :meth:`build_index`, returning one dict per sample with the raw
annotation in the OpenCV camera frame (metres) and the canonical joint order:

``img_path``; ``cam_K (3, 3)``; ``joints_cam (21, 3)`` or None; ``root_cam (3,)``;
``mano_pose (48,)`` (axis-angle, flat-hand-mean), ``mano_shape (10,)``, ``mano_transl (3,)``,
``mano_j0 (3,)`` or None; ``obj_name``; ``obj_rot (3, 3)``, ``obj_trans (3,)`` with
``X_cam = R X_model + t``; ``obj_corners_rest (8, 3)``; ``hand_bbox (4,)`` xyxy or None;
``is_left`` (mirrored at load time); ``seq``, ``frame``.
"""
import hashlib
import os
import os.path as osp
import pickle
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
from mmengine.dataset import BaseDataset
from mmengine.logging import print_log

from hoverse.utils.dataset_info import parse_dataset_info
from hoverse.utils.safe_pickle import NUMPY_GLOBALS, restricted_load

from .metainfo import HAND_OBJECT_INFO

#: bumped whenever what a loader reads from the same files changes (cached indexes)
INDEX_VERSION = 2


class BaseHandObjectDataset(BaseDataset):
    """Base for HO3D v2, Dex-YCB and the synthetic set.

    Args:
        data_root: dataset root folder.
        mano_path: MANO model (file or folder) used for root bookkeeping.
        models_root: object models in the YCB layout (``<name>/textured_simple.obj``);
            when given, ``obj_corners_rest`` come from the templates.
        index_cache_dir: where the per-split index is cached; default
            ``<data_root>/.hoverse_index`` (not cached if that is not writable).
        skip_unannotated: drop samples whose annotation has ``None`` values (counted and
            logged); if False they raise.
        bad_sample_policy: what a sample that cannot be read (missing, empty, corrupt or
            truncated image; ``BAD_SAMPLE_ERRORS``) does during training.
            ``dict(action='raise')`` (default): stop with the error, which names the file.
            ``dict(action='skip', max_skipped=N)``: log the path, count it, and take the
            next sample instead; more than ``N`` bad samples (per data-loader worker: each
            worker holds its own count) stop the run with the list. Test-mode datasets
            always raise: an evaluation must not silently drop a sample.
    """

    #: the keypoint description (``hoverse/datasets/metainfo/hand_object.py``); a config
    #: passes another with ``metainfo=dict(from_file=PATH)``
    METAINFO = dict(from_file=HAND_OBJECT_INFO)

    @classmethod
    def _load_metainfo(cls, metainfo=None) -> dict:
        """``METAINFO`` updated by ``metainfo`` with its ``from_file`` description read
        (:func:`~hoverse.utils.dataset_info.parse_dataset_info`): ``dataset_meta`` then
        holds ``joint_names``, ``skeleton``, ``flip_pairs``, ``object_keypoint_names``,
        ``object_skeleton``, ``objects``, ``num_joints`` and ``num_object_kpts``."""
        meta = dict(cls.METAINFO)
        meta.update(dict(metainfo or {}))
        return parse_dataset_info(meta)

    def __init__(self, data_root: str, mano_path: str = 'data/mano',
                 models_root: Optional[str] = None, index_cache_dir: Optional[str] = None,
                 skip_unannotated: bool = True,
                 bad_sample_policy: Optional[dict] = None, **kwargs: Any) -> None:
        if not osp.isdir(data_root):
            raise FileNotFoundError(f'{type(self).__name__}: data_root {data_root!r} does not '
                                    'exist')
        self.mano_path = mano_path
        self.models_root = models_root
        self.index_cache_dir = index_cache_dir
        self.skip_unannotated = skip_unannotated
        self.num_skipped = 0
        self.index_from_cache = False
        policy = dict(dict(action='raise', max_skipped=0), **(bad_sample_policy or {}))
        if (policy['action'] not in ('raise', 'skip')
                or set(policy) != {'action', 'max_skipped'}):
            raise ValueError(f"bad_sample_policy must be dict(action='raise') or "
                             f"dict(action='skip', max_skipped=N), got {bad_sample_policy}")
        self.bad_sample_policy = policy
        self.bad_samples: List[str] = []
        super().__init__(data_root=data_root, **kwargs)

    # -- to implement -------------------------------------------------------------------
    def index_key(self) -> Tuple:
        """What the cached index depends on (split files' sizes and mtimes, options)."""
        raise NotImplementedError

    def build_index(self) -> List[Dict[str, Any]]:
        """Read the annotation files; return the raw sample dicts (see module doc)."""
        raise NotImplementedError

    # -- shared -------------------------------------------------------------------------
    def prepare_data(self, idx: int) -> Any:
        """The pipeline's output for sample ``idx``; a sample that cannot be read follows
        ``bad_sample_policy`` (the next readable sample replaces a skipped one)."""
        from .transforms.loading import BAD_SAMPLE_ERRORS
        if self.test_mode or self.bad_sample_policy['action'] == 'raise':
            return super().prepare_data(idx)
        n = len(self)
        for step in range(n):
            i = (idx + step) % n
            try:
                return super().prepare_data(i)
            except BAD_SAMPLE_ERRORS as err:
                path = self.get_data_info(i).get('img_path', f'sample {i}')
                self.bad_samples.append(str(path))
                limit = self.bad_sample_policy['max_skipped']
                print_log(f'{type(self).__name__}: skipped unreadable sample {path} ({err}); '
                          f'{len(self.bad_samples)} skipped so far (limit {limit})',
                          logger='current', level=30)
                if len(self.bad_samples) > limit:
                    raise RuntimeError(
                        f'{type(self).__name__}: {len(self.bad_samples)} unreadable samples, '
                        f'more than bad_sample_policy.max_skipped={limit}: '
                        f'{self.bad_samples[:10]}') from err
        raise RuntimeError(f'{type(self).__name__}: no readable sample under {self.data_root!r}')

    def _cache_path(self) -> Optional[str]:
        folder = self.index_cache_dir or osp.join(self.data_root, '.hoverse_index')
        key = repr((INDEX_VERSION, type(self).__name__, self.index_key()))
        digest = hashlib.sha1(key.encode()).hexdigest()[:16]
        return osp.join(folder, f'{type(self).__name__}_{digest}.pkl')

    def load_data_list(self) -> List[dict]:
        path = self._cache_path()
        if path is not None and osp.isfile(path):
            cached = restricted_load(path, NUMPY_GLOBALS, what='dataset index')
            self.num_skipped = cached['num_skipped']
            self.index_from_cache = True
            return cached['data_list']
        data_list = self.build_index()
        if not data_list:
            raise ValueError(f'{type(self).__name__}: no usable samples under '
                             f'{self.data_root!r} for {self.index_key()[:2]} '
                             f'({self.num_skipped} skipped); check the split and the folders')
        if self.num_skipped:
            print_log(f'{type(self).__name__}: skipped {self.num_skipped} samples with missing '
                      f'(None) annotations; {len(data_list)} kept', logger='current')
        if path is not None:
            try:
                os.makedirs(osp.dirname(path), exist_ok=True)
                tmp = f'{path}.{os.getpid()}.tmp'
                with open(tmp, 'wb') as f:
                    pickle.dump(dict(data_list=data_list, num_skipped=self.num_skipped), f,
                                protocol=4)
                os.replace(tmp, path)
            except OSError as err:  # read-only data root: work without a cache
                print_log(f'index cache not written ({err})', logger='current')
        return data_list

    def _object_corners(self, name: str, fallback: Optional[np.ndarray]) -> np.ndarray:
        if self.models_root is not None:
            if not hasattr(self, '_library'):
                from hoverse.objects import ObjectLibrary
                self._library = ObjectLibrary.shared(self.models_root)
            return self._library[name].corners.astype(np.float32)
        if fallback is None:
            raise ValueError(f'{type(self).__name__}: no models_root and no rest corners for '
                             f'object {name!r}')
        return np.asarray(fallback, np.float32)

    @staticmethod
    def _file_key(path: str) -> Tuple:
        st = os.stat(path)
        return (path, st.st_size, int(st.st_mtime))
