"""Pack a transformed sample into ``{'inputs', 'data_samples'}``."""
from typing import Dict, Sequence

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmengine.structures import InstanceData

from hoverse.registry import TRANSFORMS
from hoverse.structures import HandObjectDataSample

#: target fields copied into ``gt_instances`` (each gets a leading instance dimension of 1)
GT_KEYS = ('joints_3d', 'keypoints_2d', 'joints_valid', 'root_cam', 'obj_rot', 'obj_trans_rel',
           'obj_corners_3d', 'obj_kpts_2d', 'obj_corners_rest', 'mano_pose', 'mano_shape',
           'mano_transl', 'has_mano', 'orig_joints_cam', 'orig_root_cam', 'orig_obj_rot',
           'orig_obj_trans')
META_KEYS = ('img_path', 'sample_idx', 'sample_id', 'dataset_name', 'obj_name', 'is_left',
             'obj_mirrored', 'cam_K', 'orig_cam_K', 'crop_affine', 'cam_rot', 'bbox',
             'ori_shape', 'img_shape', 'input_size', 'seq', 'frame', 'official_index')


@TRANSFORMS.register_module()
class PackHandObjectInputs(BaseTransform):
    """``inputs``: uint8 ``(3, H, W)`` tensor; ``data_samples``: :class:`HandObjectDataSample`."""

    def __init__(self, meta_keys: Sequence[str] = META_KEYS, gt_keys: Sequence[str] = GT_KEYS):
        self.meta_keys = tuple(meta_keys)
        self.gt_keys = tuple(gt_keys)

    def transform(self, results: Dict) -> Dict:
        img = np.ascontiguousarray(results['img'].transpose(2, 0, 1))
        sample = HandObjectDataSample()
        gt = InstanceData()
        for key in self.gt_keys:
            if results.get(key) is not None:
                gt.set_field(torch.as_tensor(np.asarray(results[key], np.float32))[None], key)
        if results.get('mask') is not None:
            # uint8 labels: an eighth of int64's bytes on the way from a worker
            gt.set_field(torch.as_tensor(results['mask'].astype(np.uint8))[None], 'mask')
        sample.gt_instances = gt
        sample.set_metainfo({k: results[k] for k in self.meta_keys if k in results})
        return dict(inputs=torch.from_numpy(img), data_samples=sample)
