"""Dex-YCB's HPE protocol (its toolkit's ``hpe_eval.py``), giving the keys of its results.

Per sample: the result file's 21 joints (Dex-YCB's order, camera frame, millimetres)
against the label's ``joint_3d`` (samples without a hand are not scored); errors as
predicted (``absolute``), both translated to their wrist (``root-relative``) and
similarity-aligned (``procrustes``, reflections allowed); each the mean of the per-joint
mean errors (mm) and the AUC of the PCK curve over 0-50 mm in 100 steps.
"""
from typing import Dict

import numpy as np

from .functional import align_procrustes, keypoint_error_stats, point_distances

AUC_RANGE = (0.0, 50.0)
AUC_STEPS = 100


def evaluate_dexycb_hpe(gt: Dict[int, np.ndarray], pred: Dict[int, np.ndarray]
                        ) -> Dict[str, Dict[str, float]]:
    """``{'absolute' | 'root-relative' | 'procrustes': {'mpjpe', 'auc'}}`` of ``pred``
    (the result file: ``{index: (21, 3) mm}``) against ``gt`` (every scored index).

    Raises:
        ValueError: a ground-truth index has no prediction (the toolkit asserts the same).
    """
    missing = sorted(set(gt) - set(pred))
    if missing:
        raise ValueError(f'{len(missing)} samples have no prediction in the result file, '
                         f'e.g. index {missing[0]}')
    d = {'absolute': [], 'root-relative': [], 'procrustes': []}
    for i, g in gt.items():
        p = np.asarray(pred[i], np.float64)
        g = np.asarray(g, np.float64)
        d['absolute'].append(point_distances(p, g))
        d['root-relative'].append(point_distances(p - p[0], g - g[0]))
        d['procrustes'].append(point_distances(align_procrustes(p, g), g))
    out = {}
    for name, dists in d.items():
        st = keypoint_error_stats(np.array(dists), *AUC_RANGE, AUC_STEPS)
        out[name] = dict(mpjpe=float(st['mean']), auc=float(st['auc']))
    return out


def dexycb_ground_truth(dataset) -> Dict[int, np.ndarray]:
    """``{official index: joint_3d (21, 3) mm}`` of every sample of a ``DexYCBDataset``
    (built with any pipeline), in the dataset's own frame and order, as the toolkit reads
    the labels: left hands un-mirrored, Dex-YCB's joint order."""
    from hoverse.hand_models.joint_orders import DEXYCB_FROM_CANONICAL
    out = {}
    for k in range(len(dataset)):
        info = dataset.get_data_info(k)
        joints = dataset.unmirror_points(np.asarray(info['joints_cam'], np.float64),
                                         info['is_left'])
        out[int(info['official_index'])] = joints[list(DEXYCB_FROM_CANONICAL)] * 1000.0
    return out
