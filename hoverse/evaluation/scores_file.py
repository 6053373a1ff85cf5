"""A test run's ``scores.json``: its metrics and what produced them (the results pages are
generated from these files)."""
import os.path as osp
import time
from typing import Any, Dict, Optional

from hoverse.utils.hashing import file_sha256

#: ``meta/*`` keys a scores file carries beside the metrics
META_KEYS = ('meta/config', 'meta/checkpoint', 'meta/checkpoint_sha256', 'meta/test_data',
             'meta/use_gt_root', 'meta/hand_model', 'meta/date')


def test_data_description(cfg) -> str:
    """``Type(data_root, split ...)`` of a config's test dataset, for the record."""
    ds = cfg.test_dataloader.dataset
    keys = [k for k in ('data_root', 'setup', 'split', 'ann_file', 'sequences') if ds.get(k)]
    return f"{ds.get('type')}(" + ', '.join(f'{k}={ds[k]}' for k in keys) + ')'


def scores_record(metrics: Dict[str, Any], cfg, config_path: str, checkpoint: str,
                  hand_model: Optional[str] = None) -> Dict[str, Any]:
    """``metrics`` with the run's ``meta/*`` keys (:data:`META_KEYS`): the config and
    checkpoint (and its hash), the test data, whether predictions were placed at the true
    root joint (``model.test_cfg.use_gt_root``) and the hand model."""
    out = dict(metrics)
    test_cfg = cfg.model.get('test_cfg') or {}
    out.update({
        'meta/config': config_path,
        'meta/checkpoint': osp.basename(checkpoint),
        'meta/checkpoint_sha256': file_sha256(checkpoint),
        'meta/test_data': test_data_description(cfg),
        'meta/use_gt_root': bool(test_cfg.get('use_gt_root', True)),
        'meta/date': time.strftime('%Y-%m-%d'),
    })
    if hand_model is not None:
        out['meta/hand_model'] = hand_model
    return out
