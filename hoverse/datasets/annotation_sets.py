"""A config's datasets without their pipelines: annotations only, for analysis tools."""
from typing import Dict, Sequence

from mmengine.config import Config
from mmengine.registry import init_default_scope

from hoverse.registry import DATASETS


def build_annotation_sets(cfg: Config, phases: Sequence[str] = ('train', 'test')) -> Dict:
    """``{phase: dataset}`` for each of ``phases`` (``cfg.<phase>_dataloader.dataset`` with an
    empty pipeline): their ``get_data_info`` reads annotations, never images."""
    init_default_scope(cfg.get('default_scope', 'hoverse'))
    sets = {}
    for phase in phases:
        d = cfg[f'{phase}_dataloader'].dataset.copy()
        d['pipeline'] = []
        sets[phase] = DATASETS.build(d)
    return sets
