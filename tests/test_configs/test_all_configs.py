import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from hoverse.registry import MODELS
from tests.conftest import REPO

CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True))
MODEL_CONFIGS = [c for c in CONFIGS if '_base_' not in c
                 or osp.basename(c) in ('hoverse.py', 'hoverse_r18.py')]
EXPERIMENTS = [c for c in CONFIGS if '_base_' not in c]


def _dataset_id(loader) -> tuple:
    ds = loader.dataset
    return tuple(str(ds.get(k)) for k in ('type', 'data_root', 'setup', 'split', 'ann_file',
                                          'sequences'))


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_config_parses_and_holds_what_its_folder_promises(path):
    from hoverse.registry import DATASETS, METRICS, TRANSFORMS
    cfg = Config.fromfile(path)
    init_default_scope('hoverse')
    part = osp.basename(osp.dirname(path))
    if part == 'models':
        assert cfg.get('model', {}).get('type', 'HandObjectReconstructor') == \
            'HandObjectReconstructor' or 'hoverse_additions' in cfg or \
            'ycb_object_classes' in cfg
    if part == 'schedules':
        assert cfg.optim_wrapper.optimizer.type == 'Adam' and cfg.train_cfg
    if part in ('datasets', 'hoverse', 'hoverse_plus', 'ablations'):
        for split in ('train', 'val', 'test'):
            ds = cfg[f'{split}_dataloader'].dataset
            assert DATASETS.get(ds.type) is not None, ds.type
            for step in ds.pipeline:
                assert TRANSFORMS.get(step['type']) is not None, step['type']
            # one crop protocol, from a hand box: no transform reads the object's pose
            # (but in the ablation that measures the protocol it replaced)
            crop = 'GetHandObjectBBox' if 'gt_box_crop' in path else 'HandObjectCropBox'
            assert [t['type'] for t in ds.pipeline][:2] == ['LoadImage', crop]
        # validation never runs on the test split
        assert _dataset_id(cfg.val_dataloader) != _dataset_id(cfg.test_dataloader)
        for ev in ('val_evaluator', 'test_evaluator'):
            metrics = cfg[ev] if isinstance(cfg[ev], list) else [cfg[ev]]
            assert all(METRICS.get(m['type']) is not None for m in metrics)
    if part in ('hoverse', 'hoverse_plus', 'ablations'):
        assert cfg.default_scope == 'hoverse' and MODELS.get(cfg.model.type) is not None


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


PAPER = [c for c in EXPERIMENTS if osp.basename(osp.dirname(c)) == 'hoverse']


@pytest.mark.parametrize('path', PAPER, ids=lambda p: osp.relpath(p, REPO))
def test_paper_configs_hold_none_of_our_additions(path):
    """configs/hoverse/ is the method as the paper describes it: no object classifier, no
    articulation loss, no 2D keypoint inputs, no symmetric assignment, no test-time fit
    (configs/hoverse_plus/ adds them); and one crop protocol, train and test."""
    cfg = Config.fromfile(path)
    m = cfg.model
    assert m.get('cls_head') is None and m.get('seg_head') is None
    assert m.mano_head.get('loss_articulation') is None and m.mano_head.get('test_fit') is None
    assert not m.mano_head.use_kpt_coords and not m.object_head.use_kpt_coords
    assert m.object_head.get('symmetry') is None
    assert not m.object_head.get('rot_relative_to_hand', False)
    assert (m.get('test_cfg') or {}).get('physical_fit') is None
    crops = [[t for t in cfg[f'{s}_dataloader'].dataset.pipeline
              if t['type'] == 'HandObjectCropBox'][0] for s in ('train', 'test')]
    assert crops[0]['prior'] == crops[1]['prior']


@pytest.mark.parametrize('path', [c for c in EXPERIMENTS if 'hoverse_plus' in c],
                         ids=lambda p: osp.relpath(p, REPO))
def test_plus_configs_inherit_a_paper_config(path):
    """Every configuration with additions inherits a paper configuration and names it."""
    chain, cfg_path = [], path
    while True:
        base = Config._get_base_files(cfg_path) if hasattr(Config, '_get_base_files') else []
        if not base:
            break
        cfg_path = osp.normpath(osp.join(osp.dirname(cfg_path), base[0]))
        chain.append(cfg_path)
    assert any(osp.basename(osp.dirname(c)) == 'hoverse' for c in chain), chain
