"""Basic hand and object pose metrics (millimetres)."""
from typing import Dict, List, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric

from hoverse.evaluation.functional import mpjpe, pa_mpjpe
from hoverse.registry import METRICS


def _np(x):
    return x.detach().cpu().numpy() if hasattr(x, 'detach') else np.asarray(x)


@METRICS.register_module()
class HandPoseMetric(BaseMetric):
    """Root-relative joint error ``hand/mpjpe`` and its Procrustes-aligned version
    ``hand/pa_mpjpe`` (mm), over samples whose ground truth has joints."""
    default_prefix = 'hand'

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for s in data_samples:
            gt, pred = s['gt_instances'], s['pred_instances']
            if float(_np(gt['joints_valid']).reshape(-1)[0]) < 0.5:
                continue
            self.results.append((_np(pred['joints_3d'])[0], _np(gt['joints_3d'])[0]))

    def compute_metrics(self, results: List) -> Dict[str, float]:
        if not results:
            return {}
        return dict(mpjpe=float(np.mean([mpjpe(p, g) for p, g in results])),
                    pa_mpjpe=float(np.mean([pa_mpjpe(p, g) for p, g in results])))


@METRICS.register_module()
class ObjectPoseMetric(BaseMetric):
    """Object errors relative to the hand root (mm): ``object/center_error`` (centre of the
    model-frame box posed by (R, t)) and ``object/corner_error`` (mean of its 8 corners)."""
    default_prefix = 'object'

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for s in data_samples:
            gt, pred = s['gt_instances'], s['pred_instances']
            rest = _np(gt['obj_corners_rest'])[0]
            pc = rest @ _np(pred['obj_rot'])[0].T + _np(pred['obj_trans_rel'])[0]
            gc = _np(gt['obj_corners_3d'])[0]
            self.results.append((np.linalg.norm(pc.mean(0) - gc.mean(0)) * 1000,
                                 np.linalg.norm(pc - gc, axis=-1).mean() * 1000))

    def compute_metrics(self, results: List) -> Dict[str, float]:
        r = np.array(results)
        return dict(center_error=float(r[:, 0].mean()), corner_error=float(r[:, 1].mean()))
