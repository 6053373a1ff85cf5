"""Accuracy of the held object's classification (``ObjectClassificationHead``)."""
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from hoverse.registry import METRICS


@METRICS.register_module()
class ObjectClassMetric(BaseMetric):
    """Top-1 and top-3 accuracy (%) of the predicted object class against ``obj_name``
    (prefix ``object/``: ``cls_top1``, ``cls_top3``), and the top-1 accuracy per object
    in the log. Samples without a ground-truth name or without scores are skipped."""
    default_prefix = 'object'

    def __init__(self, collect_device: str = 'cpu', prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for s in data_samples:
            top = s.get('obj_cls_top')
            name = s.get('obj_name')
            if not top or name is None or s.get('obj_name_source') == 'classified':
                continue
            names = [n for n, _ in top]
            self.results.append(dict(name=name, top1=names[0] == name, top3=name in names[:3]))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        if not results:
            return {}
        per = {}
        for r in results:
            per.setdefault(r['name'], []).append(r['top1'])
        MMLogger.get_current_instance().info(
            'object classification, top-1 per object (%): ' + ', '.join(
                f'{n} {100 * np.mean(v):.0f} ({len(v)})' for n, v in sorted(per.items())))
        return dict(cls_top1=float(np.mean([r['top1'] for r in results]) * 100),
                    cls_top3=float(np.mean([r['top3'] for r in results]) * 100))
