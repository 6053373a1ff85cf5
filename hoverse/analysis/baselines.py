"""Trivial baselines that every evaluation is read against (numbers in mm and degrees).

- ``baseline/hand_rr_mpjpe``, ``baseline/hand_pa_mpjpe``: the training split's mean hand
  pose placed at each test sample's true root; root-relative and Procrustes-aligned joint
  errors, as ``HandPoseMetric`` computes them. The mean pose is MANO posed by the mean
  (chordal, projected onto SO(3)) of each of its 16 joint rotations in the camera frame,
  global orientation included, with the mean shape. Without MANO parameters (or a MANO
  model) it falls back to the mean of the root-relative joints.
- ``baseline/hand_rr_mpjpe_mean_joints``: the mean of the training split's root-relative
  joints itself (camera frame). Averaging hands seen at different orientations shrinks
  them towards the wrist: useless after Procrustes, but a stronger root-relative baseline
  than the mean pose when orientations vary.
- ``baseline/object_rot_error`` (mean) and ``baseline/object_rot_error_median``: each
  object's mean training rotation (camera frame; chordal mean projected onto SO(3)),
  scored with the symmetry-aware rotation error of ``ObjectPoseMetric`` (fully
  symmetric objects left out); ``baseline/object_rot_acc_20``: % of them under 20 degrees
  (``ObjectPoseMetric``'s ``rot_acc_20``); ``baseline/object_rot_error_median_asym``: the
  median over the objects without any symmetry (``ObjectPoseMetric``'s
  ``rot_error_median_asym``).

They read the datasets' annotations only (no images), so they take seconds.
"""
from typing import Dict, Iterable, Optional, Tuple

import numpy as np

from hoverse.evaluation.functional import align_procrustes, symmetric_rotation_error
from hoverse.objects.object_symmetry import ObjectSymmetry

#: each model metric, the trivial baseline it is read against, and their unit
METRIC_BASELINES = (('hand/pa_mpjpe', 'baseline/hand_pa_mpjpe', 'mm'),
                    ('hand/rr_mpjpe', 'baseline/hand_rr_mpjpe', 'mm'),
                    ('object/rot_error_median', 'baseline/object_rot_error_median', 'deg'),
                    ('object/rot_error', 'baseline/object_rot_error', 'deg'),
                    ('object/rot_error_median_asym', 'baseline/object_rot_error_median_asym',
                     'deg'),
                    ('object/rot_acc_20', 'baseline/object_rot_acc_20', '%'))


def _annotations(dataset) -> Iterable[dict]:
    for i in range(len(dataset)):
        yield dataset.get_data_info(i)


def nearest_rotation_np(M: np.ndarray) -> np.ndarray:
    """The rotation nearest ``M (..., 3, 3)`` in the Frobenius norm (numpy in and out)."""
    import torch

    from hoverse.geometry.rotations import nearest_rotation
    return nearest_rotation(torch.as_tensor(np.asarray(M, np.float64))).numpy()


def mean_mano_hand(poses: np.ndarray, shapes: np.ndarray,
                   mano_path: str) -> Tuple[np.ndarray, np.ndarray]:
    """Root-relative joints ``(21, 3)`` and vertices ``(778, 3)`` (metres) of MANO posed by
    the chordal mean of each joint's rotation over ``poses (N, 48)`` (axis-angle, camera
    frame) with the mean of ``shapes (N, 10)``."""
    import torch
    from scipy.spatial.transform import Rotation

    from hoverse.hand_models import MANOLayer
    layer = MANOLayer(mano_path, root_relative=True)
    mats = Rotation.from_rotvec(np.asarray(poses, np.float64).reshape(-1, 3)).as_matrix()
    mean = nearest_rotation_np(mats.reshape(len(poses), 16, 3, 3).mean(0))
    f = dict(dtype=torch.float32)
    rot = torch.as_tensor(mean, **f)[None]
    out = layer(rot[:, 0], rot[:, 1:], torch.as_tensor(np.mean(shapes, 0), **f)[None],
                pose_type='rotmat')
    return out['joints'][0].double().numpy(), out['verts'][0].double().numpy()


def fit_baselines(train_set, mano_path: Optional[str] = None) -> Dict:
    """The mean hand's root-relative joints ``(21, 3)`` (see the module docstring) and
    per-object mean rotations of a dataset."""
    joints, poses, shapes, rots = [], [], [], {}
    for info in _annotations(train_set):
        if info.get('joints_cam') is not None:
            joints.append(np.asarray(info['joints_cam'], np.float64) -
                          np.asarray(info['root_cam'], np.float64))
        if info.get('mano_pose') is not None:
            poses.append(np.asarray(info['mano_pose'], np.float64))
            shapes.append(np.asarray(info['mano_shape'], np.float64))
        if info.get('obj_rot') is not None:
            rots.setdefault(info['obj_name'], []).append(np.asarray(info['obj_rot'], np.float64))
    if not joints:
        raise ValueError('the training split has no hand joints to average')
    mean_joints, mean_verts = np.mean(joints, 0), None
    if mano_path is not None and len(poses) == len(joints):
        mean_joints, mean_verts = mean_mano_hand(np.stack(poses), np.stack(shapes), mano_path)
    return dict(mean_joints=mean_joints, mean_verts=mean_verts,
                mean_rr_joints=np.mean(joints, 0),
                mean_rot={n: nearest_rotation_np(np.mean(r, 0)) for n, r in rots.items()})


def score_baselines(fit: Dict, test_set, library=None) -> Dict[str, float]:
    """The baselines of ``fit`` on ``test_set``; ``library`` (an ``ObjectLibrary``) gives
    the objects' symmetries (without it every object is taken as asymmetric)."""
    rr, rr_joints, pa, rot, asym = [], [], [], [], []
    mean = fit['mean_joints']
    for info in _annotations(test_set):
        if info.get('joints_cam') is not None:
            gt = np.asarray(info['joints_cam'], np.float64)
            pred = mean + np.asarray(info['root_cam'], np.float64)
            rr.append(np.linalg.norm(pred - gt, axis=-1).mean())
            rr_joints.append(np.linalg.norm(fit['mean_rr_joints'] + gt[0] - gt, axis=-1).mean())
            pa.append(np.linalg.norm(align_procrustes(pred, gt) - gt, axis=-1).mean())
        name = info.get('obj_name')
        if info.get('obj_rot') is not None and name in fit['mean_rot']:
            sym = ObjectSymmetry()
            if library is not None and name in library:
                sym = library[name].symmetry
            err = symmetric_rotation_error(fit['mean_rot'][name], info['obj_rot'], sym,
                                           bool(info.get('obj_mirrored', False)))
            if np.isfinite(err):
                rot.append(err)
            if not sym.is_symmetric:
                asym.append(err)
    out = {}
    if rr:
        out.update({'baseline/hand_rr_mpjpe': float(np.mean(rr) * 1000),
                    'baseline/hand_pa_mpjpe': float(np.mean(pa) * 1000),
                    'baseline/hand_rr_mpjpe_mean_joints': float(np.mean(rr_joints) * 1000)})
    if rot:
        out.update({'baseline/object_rot_error': float(np.mean(rot)),
                    'baseline/object_rot_error_median': float(np.median(rot)),
                    'baseline/object_rot_acc_20': float(np.mean(np.array(rot) < 20) * 100)})
    if asym:
        out['baseline/object_rot_error_median_asym'] = float(np.median(asym))
    return out


def compute_baselines(train_set, test_set, models_root: Optional[str] = None,
                      mano_path: Optional[str] = None) -> Dict[str, float]:
    """Fit on ``train_set``, score on ``test_set`` (datasets with ``get_data_info``);
    ``mano_path`` defaults to the training set's own ``mano_path``."""
    library = None
    if models_root:
        from hoverse.objects import ObjectLibrary
        library = ObjectLibrary(models_root, num_samples=256)
    mano_path = mano_path or getattr(train_set, 'mano_path', None)
    return score_baselines(fit_baselines(train_set, mano_path), test_set, library)


def write_mean_hand_submission(fit: Dict, test_set, folder: str) -> Tuple[str, str]:
    """The mean-hand baseline as an HO3D submission (``pred.json``, ``pred.zip`` in
    ``folder``): the mean hand of ``fit`` at each test sample's root, which HO3D's
    evaluation metas give. ``eval_ho3d.py`` scores it as it scores a model's submission."""
    import os

    from hoverse.evaluation.metrics.result_writers import write_ho3d_submission
    if fit.get('mean_verts') is None:
        raise ValueError('the mean-hand submission needs the training split\'s MANO '
                         'parameters and a MANO model (for the vertices)')
    joints, verts = [], []
    for info in _annotations(test_set):
        if info.get('root_cam') is None:
            raise ValueError(f"test sample {info.get('img_path')} has no root joint")
        root = np.asarray(info['root_cam'], np.float64)
        joints.append(fit['mean_joints'] + root)
        verts.append(fit['mean_verts'] + root)
    os.makedirs(folder, exist_ok=True)
    return write_ho3d_submission(folder, joints, verts)
