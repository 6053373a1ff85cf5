import os.path as osp
import sys

import pytest
from mmengine.config import Config
from mmengine.registry import DefaultScope

from hoverse import registry
from tests.conftest import CONFIGS, PLUGINS


def test_every_registry_is_hoverse_scoped_child_of_mmengine():
    for name in registry.__all__:
        reg = getattr(registry, name)
        assert reg.scope == 'hoverse', name
        if name == 'KEYPOINT_CODECS':  # no mmengine counterpart (mmpose's has none either)
            assert reg.parent is None and reg.get('SoftArgmaxHeatmap') is not None
        elif name == 'HAND_DETECTORS':  # no mmengine counterpart; found by its location
            assert reg.parent is None and reg.get('FixedBoxDetector') is not None
        elif name != 'FUNCTIONS':
            assert reg.parent is not None and reg.parent.scope == 'mmengine', name


def test_locations_find_components_without_imports():
    with DefaultScope.overwrite_default_scope('hoverse'):
        assert registry.HOOKS.get('NaNGuardHook') is not None
        assert registry.MODEL_WRAPPERS.get('HoverseDistributedDataParallel') is not None
        assert registry.VISUALIZERS.get('HandObjectVisualizer') is not None


def test_plugin_via_custom_imports_built_by_runner(tmp_path, monkeypatch):
    from mmengine.runner import Runner
    monkeypatch.syspath_prepend(PLUGINS)
    cfg = Config.fromfile(osp.join(CONFIGS, 'toy_train.py'))
    cfg.work_dir = str(tmp_path)
    runner = Runner.from_cfg(cfg)
    assert type(runner.model).__name__ == 'ToyRegressor'
    assert 'hoverse_toy_plugin' in sys.modules


def test_type_typo_names_registry_and_type():
    with DefaultScope.overwrite_default_scope('hoverse'):
        with pytest.raises(KeyError) as err:
            registry.MODELS.build(dict(type='ToyRegresor'))
    msg = str(err.value)
    assert 'ToyRegresor' in msg and 'model' in msg
