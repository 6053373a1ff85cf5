"""Object pose errors (mm) in the image's camera frame."""
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric

from hoverse.evaluation.functional import (add_error, adds_error, center_error,
                                           chamfer_distance, corner_error, transform_points)
from hoverse.registry import METRICS

from ._utils import crop_to_camera, first


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

    Poses come from ``pred_instances.obj_rot_cam / obj_trans_cam``; the ground truth is
    posed from ``gt_instances.obj_rot / obj_trans_rel`` around the true hand root.
    """
    default_prefix = 'object'

    def __init__(self, models_root: Optional[str] = None, acc_fraction: float = 0.1,
                 num_points: int = 1000, collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.models_root, self.acc_fraction, self.num_points = models_root, acc_fraction, \
            num_points
        self._library = None

    @property
    def library(self):
        if self._library is None and self.models_root:
            from hoverse.objects import ObjectLibrary
            self._library = ObjectLibrary(self.models_root, num_samples=self.num_points)
        return self._library

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for s in data_samples:
            gt, pred = s.get('gt_instances', {}), s['pred_instances']
            if 'obj_rot' not in gt or 'obj_corners_rest' not in gt:
                continue
            Rp, tp = first(pred, 'obj_rot_cam'), first(pred, 'obj_trans_cam')
            root = first(gt, 'root_cam')
            Rz = np.asarray(s.get('cam_rot', np.eye(3)), np.float64)
            Rg = Rz.T @ first(gt, 'obj_rot')
            tg = crop_to_camera(first(gt, 'obj_trans_rel') + root, s)
            rest = first(gt, 'obj_corners_rest')
            pc, gc = transform_points(rest, Rp, tp), transform_points(rest, Rg, tg)
            r = dict(center=center_error(pc.mean(0), gc.mean(0)) * 1000,
                     corner=corner_error(pc, gc) * 1000)
            name = s.get('obj_name')
            lib = self.library
            if lib is not None and name is not None and name in lib:
                obj = lib[name]
                pts = obj.samples[:self.num_points]
                if s.get('obj_mirrored', False):  # left hands were mirrored with their object
                    pts = pts * np.array([-1.0, 1.0, 1.0])
                pp, gp = transform_points(pts, Rp, tp), transform_points(pts, Rg, tg)
                r.update(add=add_error(pp, gp) * 1000, adds=adds_error(pp, gp) * 1000,
                         chamfer=chamfer_distance(pp, gp) * 1000,
                         diameter=obj.diameter * 1000)
            self.results.append(r)

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        if not results:
            return {}
        out = dict(center_error=float(np.mean([r['center'] for r in results])),
                   corner_error=float(np.mean([r['corner'] for r in results])))
        model = [r for r in results if 'add' in r]
        if model:
            for k in ('add', 'adds', 'chamfer'):
                out[k] = float(np.mean([r[k] for r in model]))
            for k in ('add', 'adds'):
                out[f'{k}_acc'] = float(np.mean(
                    [r[k] < self.acc_fraction * r['diameter'] for r in model]) * 100)
        return out
