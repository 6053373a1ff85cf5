import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from hoverse.registry import MODELS
from tests.conftest import REPO

CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True))
MODEL_CONFIGS = [c for c in CONFIGS if '_base_' not in c or c.endswith('hoverse_r50.py')]


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_config_parses(path):
    assert Config.fromfile(path) is not None


@pytest.mark.parametrize('path', MODEL_CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_model_builds_and_runs(path, mano_dir, objects_dir):
    cfg = Config.fromfile(path)
    init_default_scope('hoverse')
    cfg.model.mano_head.mano.model_path = mano_dir
    cfg.model.object_models_root = None
    if cfg.model.backbone.get('init_cfg'):
        cfg.model.backbone.init_cfg = None
    model = MODELS.build(cfg.model)
    size = cfg.model.get('input_size', 256)
    model.eval()
    with torch.no_grad():
        out = model(torch.randn(1, 3, size, size), mode='tensor')
    assert out['hand_verts'].shape == (1, 778, 3) and out['obj_rot'].shape == (1, 3, 3)
