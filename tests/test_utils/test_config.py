import os.path as osp

import pytest
from mmengine.config import Config

from hoverse.utils import UnknownConfigKeyError, check_cfg_options, merge_cfg_options
from tests.conftest import CONFIGS


def test_inheritance_override_and_delete():
    cfg = Config.fromfile(osp.join(CONFIGS, 'inherit_child.py'))
    # override merges into the base dict
    assert cfg.model.backbone == dict(type='ResNet', depth=18, out_indices=(1, 2, 3))
    # _delete_ replaces the base dict entirely
    assert cfg.model.head == dict(type='HeadB', hidden=64)
    assert cfg.model.type == 'Reconstructor'
    assert cfg.lr == 2e-4


def test_cfg_options_known_keys_merge():
    cfg = Config.fromfile(osp.join(CONFIGS, 'inherit_child.py'))
    merge_cfg_options(cfg, {'model.backbone.depth': 34, 'lr': 0.1})
    assert cfg.model.backbone.depth == 34 and cfg.lr == 0.1


def test_cfg_options_typo_is_named():
    cfg = Config.fromfile(osp.join(CONFIGS, 'inherit_child.py'))
    with pytest.raises(UnknownConfigKeyError) as err:
        check_cfg_options(cfg, {'model.backbone.deph': 34})
    msg = str(err.value)
    assert "'model.backbone.deph'" in msg and 'depth' in msg
    # nothing was merged
    assert cfg.model.backbone.depth == 18


def test_cfg_options_new_key_allowed_on_request():
    cfg = Config.fromfile(osp.join(CONFIGS, 'inherit_child.py'))
    merge_cfg_options(cfg, {'model.backbone.frozen_stages': 1}, allow_new_keys=True)
    assert cfg.model.backbone.frozen_stages == 1


def test_a_shortened_run_gets_a_fitted_schedule_with_a_warning():
    import warnings

    from mmengine.config import Config

    from hoverse.utils.config import fit_schedule_to_run
    cfg = Config(dict(train_cfg=dict(by_epoch=False, max_iters=3), param_scheduler=[
        dict(type='LinearLR', by_epoch=False, begin=0, end=50),
        dict(type='CosineAnnealingLR', by_epoch=False, begin=50)]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        notes = fit_schedule_to_run(cfg)
    assert len(notes) == 2 and len(caught) == 2
    assert cfg.param_scheduler == [dict(type='LinearLR', by_epoch=False, begin=0, end=3)]
    fitting = Config(dict(train_cfg=dict(by_epoch=False, max_iters=600), param_scheduler=[
        dict(type='LinearLR', by_epoch=False, begin=0, end=50)]))
    assert fit_schedule_to_run(fitting) == []


def test_a_syntax_error_names_the_file_and_line_also_in_a_base(tmp_path):
    import pytest

    from hoverse.utils.config import ConfigSyntaxError, read_config
    (tmp_path / 'base.py').write_text('a = 1\nb = dict(x=1,,)\n')
    (tmp_path / 'child.py').write_text("_base_ = ['./base.py']\nc = 2\n")
    (tmp_path / 'broken.py').write_text('a = (\n')
    with pytest.raises(ConfigSyntaxError, match=r"base.py', line 2: syntax error.*child.py"):
        read_config(str(tmp_path / 'child.py'))
    with pytest.raises(ConfigSyntaxError, match=r"broken.py', line 1: syntax error"):
        read_config(str(tmp_path / 'broken.py'))


def test_auto_workers_share_the_cores_and_resolve_in_loaders(monkeypatch):
    from mmengine.config import Config

    from hoverse.utils.config import auto_num_workers, resolve_dataloader_workers
    assert auto_num_workers(cpu_count=16, procs_per_node=1) == 8
    assert auto_num_workers(cpu_count=16, procs_per_node=4) == 3
    assert auto_num_workers(cpu_count=2, procs_per_node=1) == 1
    assert auto_num_workers(cpu_count=2, procs_per_node=2) == 0
    monkeypatch.setattr('os.cpu_count', lambda: 1)
    cfg = Config(dict(train_dataloader=dict(num_workers='auto', persistent_workers=True,
                                            pin_memory='auto'),
                      val_dataloader=dict(num_workers=3)))
    resolve_dataloader_workers(cfg)
    assert cfg.train_dataloader.num_workers == 0
    assert cfg.train_dataloader.persistent_workers is False
    assert isinstance(cfg.train_dataloader.pin_memory, bool)
    assert cfg.val_dataloader.num_workers == 3
