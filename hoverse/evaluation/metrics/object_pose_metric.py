"""Object pose errors (mm) in the image's camera frame."""
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric

from mmengine.logging import print_log

from hoverse.evaluation.functional import (add_error, adds_error, center_error,
                                           chamfer_distance, corner_error, mssd_mspd,
                                           swing_twist_errors, symmetric_rotation_error,
                                           symmetry_transforms, transform_points)
from hoverse.geometry.boxes import longest_box_axis
from hoverse.geometry.mirror import mirror_points
from hoverse.objects.object_symmetry import ObjectSymmetry
from hoverse.registry import METRICS

from ._utils import first


def keypoint_errors_2d(pred: dict, gt: dict, symmetric: bool) -> Dict[str, float]:
    """The object keypoints' 2D errors (crop pixels) of one sample: ``kpt2d_center`` and,
    for an asymmetric object, ``kpt2d_corner`` and ``kpt2d_corner_spread``
    (:class:`ObjectPoseMetric`); empty without ``obj_kpts_2d (1, 9, 2)`` on both sides."""
    if 'obj_kpts_2d' not in pred or 'obj_kpts_2d' not in gt:
        return {}
    kp, kg = first(pred, 'obj_kpts_2d'), first(gt, 'obj_kpts_2d')
    if kp.shape != kg.shape or kp.shape[0] < 2:
        return {}
    out = dict(kpt2d_center=float(np.linalg.norm(kp[-1] - kg[-1])))
    if not symmetric:
        out['kpt2d_corner'] = float(np.linalg.norm(kp[:-1] - kg[:-1], axis=1).mean())
        true = np.linalg.norm(kg[:-1] - kg[-1], axis=1).mean()
        if true > 0:
            out['kpt2d_corner_spread'] = float(
                np.linalg.norm(kp[:-1] - kp[-1], axis=1).mean() / true)
    return out


@METRICS.register_module()
class ObjectPoseMetric(BaseMetric):
    """Object errors in millimetres (prefix ``object/``).

    - ``center_error``: distance between the predicted and true centres of the model's
      bounding box; ``corner_error``: mean distance between its 8 corners.
    - With ``models_root`` (the templates, YCB layout): ``add`` (ADD, mean distance
      between corresponding model points), ``adds`` (ADD-S, closest-point distance, for
      symmetric objects), their accuracies ``add_acc`` / ``adds_acc`` (% of samples under
      ``acc_fraction`` of the object's diameter, 10 % by convention) and ``chamfer``
      (symmetric chamfer distance between the posed surface samples).
    - Symmetry-aware, from the template's symmetries (``models_info.json``; without
      ``models_root`` every object is taken as asymmetric): ``rot_error`` and
      ``rot_error_median`` (degrees, geodesic angle to the nearest symmetric equivalent;
      fully symmetric objects are left out), ``mssd`` (mm) and ``mspd`` (pixels of the
      original image) as BOP 2020 defines and bop_toolkit computes them (over the mesh's
      vertices and the symmetries sampled with ``max_sym_disc_step``, 0.01 as in BOP's
      scripts: :func:`symmetry_transforms`), and ``add_s_auto`` (ADD for asymmetric,
      ADD-S for symmetric objects) with ``add_s_auto_acc``.
    - The shape of the rotation errors (same scored samples as ``rot_error``):
      ``rot_acc_<t>`` (% under ``t`` degrees, for each ``t`` in ``rot_thresholds``) and
      ``rot_flip`` (% over ``flip_threshold`` degrees: the object found turned about
      half-way round, such as a box upside down), so that a median can be read as a coarse
      fit or as a share of flips.
    - Where an asymmetric object's rotation goes wrong: ``rot_swing_median`` and
      ``rot_twist_median`` (degrees), the error split about the template's longest
      bounding-box side (:func:`swing_twist_errors`): how far that axis points astray, and
      the spin about it left once it is aligned (an elongated object's hardest part).
    - D-BFAM's object keypoints, where the prediction has ``obj_kpts_2d`` and the ground
      truth ``obj_kpts_2d`` (crop pixels; the box's 8 corners, then its centre):
      ``kpt2d_center_error`` (the centre, every object) and ``kpt2d_corner_error`` (the
      corners' mean, asymmetric objects only: a symmetric object's corners have no one
      order), and ``kpt2d_corner_spread``, the predicted corners' mean distance from the
      predicted centre over the true ones' (1 when their layout has the true size; corners
      drawn together towards the centre, as a soft-argmax over a heatmap that cannot tell
      the corners apart gives, fall below 1).
    - The log gets a per-object table of these.

    Poses come from ``pred_instances.obj_rot_cam / obj_trans_cam``; the ground truth is
    posed from ``gt_instances.obj_rot / obj_trans_rel`` around the true hand root.
    """
    default_prefix = 'object'

    def __init__(self, models_root: Optional[str] = None, acc_fraction: float = 0.1,
                 num_points: int = 1000, rot_thresholds: Sequence[float] = (10.0, 20.0),
                 flip_threshold: float = 135.0, max_sym_disc_step: float = 0.01,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.models_root, self.acc_fraction, self.num_points = models_root, acc_fraction, \
            num_points
        if not all(0 < t <= 180 for t in (*rot_thresholds, flip_threshold)):
            raise ValueError('ObjectPoseMetric: rot_thresholds and flip_threshold are angles '
                             f'in degrees in (0, 180], got {list(rot_thresholds)} and '
                             f'{flip_threshold}')
        self.rot_thresholds, self.flip_threshold = tuple(rot_thresholds), flip_threshold
        self.max_sym_disc_step = max_sym_disc_step
        self._library = None
        self._groups: Dict = {}

    @property
    def library(self):
        if self._library is None and self.models_root:
            from hoverse.objects import ObjectLibrary
            self._library = ObjectLibrary.shared(self.models_root)
        return self._library

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for s in data_samples:
            gt, pred = s.get('gt_instances', {}), s['pred_instances']
            if 'orig_obj_rot' not in gt or 'obj_corners_rest' not in gt:
                continue
            # both in the image's camera frame (the ground truth as packed)
            Rp, tp = first(pred, 'obj_rot_cam'), first(pred, 'obj_trans_cam')
            Rg, tg = first(gt, 'orig_obj_rot'), first(gt, 'orig_obj_trans')
            rest = first(gt, 'obj_corners_rest')
            pc, gc = transform_points(rest, Rp, tp), transform_points(rest, Rg, tg)
            r = dict(center=center_error(pc.mean(0), gc.mean(0)) * 1000,
                     corner=corner_error(pc, gc) * 1000)
            name = s.get('obj_name')
            lib = self.library
            mirrored = bool(s.get('obj_mirrored', False))
            sym = ObjectSymmetry()
            r['name'] = name
            if lib is not None and name is not None and name in lib:
                obj = lib[name]
                sym = obj.symmetry
                pts = obj.surface_samples(self.num_points)
                if mirrored:  # left hands were mirrored with their object
                    pts = mirror_points(pts)
                pp, gp = transform_points(pts, Rp, tp), transform_points(pts, Rg, tg)
                adds = adds_error(pp, gp) * 1000
                r.update(add=add_error(pp, gp) * 1000, adds=adds,
                         chamfer=chamfer_distance(pp, gp) * 1000,
                         diameter=obj.diameter * 1000)
                r['add_s_auto'] = adds if sym.is_symmetric else r['add']
                K = s.get('orig_cam_K', s.get('cam_K'))
                if K is not None:  # BOP's: over the mesh's vertices and its sampled group
                    verts = mirror_points(obj.vertices) if mirrored else obj.vertices
                    mssd, mspd = mssd_mspd(verts, Rp, tp, Rg, tg,
                                           self._bop_group(name, sym, mirrored),
                                           np.asarray(K, np.float64))
                    r.update(mssd=mssd * 1000, mspd=mspd)
            r['rot_error'] = symmetric_rotation_error(Rp, Rg, sym, mirrored)
            r['asymmetric'] = not sym.is_symmetric
            r.update(keypoint_errors_2d(pred, gt, sym.is_symmetric))
            if not sym.is_symmetric:
                r['rot_swing'], r['rot_twist'] = swing_twist_errors(
                    Rp, Rg, longest_box_axis(rest))
            self.results.append(r)

    def _bop_group(self, name: str, sym: ObjectSymmetry, mirrored: bool) -> np.ndarray:
        """BOP's symmetry set of an object (``max_sym_disc_step``), built once per object."""
        key = (name, mirrored)
        if key not in self._groups:
            self._groups[key] = symmetry_transforms(sym, mirrored, self.max_sym_disc_step)
        return self._groups[key]

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        if not results:
            return {}
        out = self._summary(results)
        names = sorted({r['name'] for r in results if r.get('name') is not None})
        if len(names) > 1:
            widest = [self._acc_key(max(self.rot_thresholds))] if self.rot_thresholds else []
            keys = [k for k in ['rot_error_median', 'rot_error', 'center_error', 'add_s_auto',
                                'mssd', 'mspd', *widest, 'rot_flip', 'rot_swing_median',
                                'rot_twist_median', 'kpt2d_corner_error'] if k in out]
            width = {k: max(18, len(k) + 2) for k in keys}
            lines = [f'{"object":<22}{"n":>5}' + ''.join(f'{k:>{width[k]}}' for k in keys)]
            for n in names:
                sub = self._summary([r for r in results if r.get('name') == n])
                lines.append(f'{n:<22}{sub["count"]:>5}' + ''.join(
                    f'{sub.get(k, float("nan")):>{width[k]}.2f}' for k in keys))
            print_log('object errors by object (mm, degrees, pixels):\n' + '\n'.join(lines),
                      logger='current')
        out.pop('count')
        return out

    @staticmethod
    def _acc_key(threshold: float) -> str:
        """``rot_acc_20`` for 20 degrees, ``rot_acc_2.5`` for 2.5."""
        return f'rot_acc_{threshold:g}'

    def _summary(self, results: List[dict]) -> Dict[str, float]:
        out = dict(count=len(results),
                   center_error=float(np.mean([r['center'] for r in results])),
                   corner_error=float(np.mean([r['corner'] for r in results])))
        rot = np.array([r['rot_error'] for r in results], np.float64)
        rot = rot[np.isfinite(rot)]
        if len(rot):
            out.update(rot_error=float(rot.mean()), rot_error_median=float(np.median(rot)))
            for t in self.rot_thresholds:
                out[self._acc_key(t)] = float(np.mean(rot < t) * 100)
            out['rot_flip'] = float(np.mean(rot > self.flip_threshold) * 100)
        asym = np.array([r['rot_error'] for r in results if r.get('asymmetric')], np.float64)
        if len(asym):  # the objects without any symmetry, pooled
            out['rot_error_median_asym'] = float(np.median(asym))
        for k in ('rot_swing', 'rot_twist'):
            v = np.array([r.get(k, np.nan) for r in results], np.float64)
            if np.isfinite(v).any():
                out[f'{k}_median'] = float(np.median(v[np.isfinite(v)]))
        for k in ('kpt2d_center', 'kpt2d_corner', 'kpt2d_corner_spread'):
            v = [r[k] for r in results if k in r]
            if v:
                out[k if k.endswith('spread') else f'{k}_error'] = float(np.mean(v))
        model = [r for r in results if 'add' in r]
        if model:
            for k in ('add', 'adds', 'chamfer', 'add_s_auto'):
                out[k] = float(np.mean([r[k] for r in model]))
            for k in ('add', 'adds', 'add_s_auto'):
                out[f'{k}_acc'] = float(np.mean(
                    [r[k] < self.acc_fraction * r['diameter'] for r in model]) * 100)
        bop = [r for r in results if 'mssd' in r]
        if bop:
            out.update(mssd=float(np.mean([r['mssd'] for r in bop])),
                       mspd=float(np.mean([r['mspd'] for r in bop])))
        return out
