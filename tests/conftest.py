import importlib.util
import os
import os.path as osp
import subprocess
import sys
from types import ModuleType
from typing import List, Optional

import pytest

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
PLUGINS = osp.join(REPO, 'tests', 'data', 'plugins')
CONFIGS = osp.join(REPO, 'tests', 'data', 'configs')

os.environ.setdefault('PYOPENGL_PLATFORM', 'egl')
if os.environ.get('PYTEST_XDIST_WORKER'):
    # `pytest -n N`: one thread per worker. Workers with torch's default (a thread per
    # core) oversubscribe the cores and each long test runs 3-4x slower.
    import torch
    torch.set_num_threads(1)


def run_tool(args: List[str], env: Optional[dict] = None, timeout: int = 300,
             check: bool = True, cwd: str = REPO) -> subprocess.CompletedProcess:
    """Run ``python <args>`` from ``cwd`` (the repo root) with the test plugins importable;
    hoverse comes from the installed package, as for a user (the repo is not put on the
    path)."""
    full_env = dict(os.environ)
    full_env['PYTHONPATH'] = os.pathsep.join([PLUGINS, full_env.get('PYTHONPATH', '')])
    full_env.setdefault('OMP_NUM_THREADS', '1')
    full_env.update(env or {})
    proc = subprocess.run([sys.executable] + args, cwd=cwd, env=full_env, timeout=timeout,
                          capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f'{args} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n'
                             f'{proc.stderr[-5000:]}')
    return proc


def load_script(path: str, name: str) -> ModuleType:
    """The script at ``path`` (relative to the repo) imported as module ``name``, without
    running its ``__main__`` block."""
    spec = importlib.util.spec_from_file_location(name, osp.join(REPO, path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='session')
def repo_root() -> str:
    return REPO


@pytest.fixture(scope='session')
def mano_dir(tmp_path_factory) -> str:
    """A folder holding the surrogate ``MANO_RIGHT.pkl``."""
    from hoverse.hand_models.surrogate import write_surrogate_mano
    out = str(tmp_path_factory.mktemp('mano'))
    write_surrogate_mano(out)
    return out


@pytest.fixture(scope='session')
def objects_dir(tmp_path_factory) -> str:
    """A YCB-layout models folder with the procedural objects."""
    from hoverse.objects.procedural import write_procedural_objects
    out = str(tmp_path_factory.mktemp('objects'))
    write_procedural_objects(out)
    return out


@pytest.fixture(scope='session')
def mano_layer(mano_dir):
    from hoverse.hand_models import MANOLayer
    return MANOLayer(mano_dir)


@pytest.fixture(scope='session')
def synthetic_root(tmp_path_factory, mano_dir) -> str:
    """A tiny rendered synthetic set: 6 train, 3 val, 3 evaluation and 3 test samples."""
    from hoverse.synthesis.generate import generate_synthetic_dataset
    root = str(tmp_path_factory.mktemp('synthetic'))
    generate_synthetic_dataset(root, mano_dir, num_train=6, num_val=3, num_eval=3, num_test=3,
                               seed=3, workers=1, progress=False)
    return root


def synthetic_cfg_options(root: str, mano: str) -> List[str]:
    """``--cfg-options`` that point an r18 synthetic config at ``root`` and run it small."""
    opts = []
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [f'{loader}.dataset.data_root={root}', f'{loader}.dataset.mano_path={mano}',
                 f'{loader}.batch_size=3', f'{loader}.num_workers=0',
                 f'{loader}.persistent_workers=False']
    for ev in ('val_evaluator', 'test_evaluator'):
        opts += [f'{ev}.1.models_root={root}/models', f'{ev}.2.models_root={root}/models',
                 f'{ev}.2.mano_path={mano}']
    return opts + [f'model.mano_head.mano.model_path={mano}',
                   f'model.object_models_root={root}/models']


def tiny_schedule(iters: int = 2) -> List[str]:
    """``--cfg-options`` for an ``iters``-iteration run of an r18 synthetic config that
    validates and saves at its end."""
    return [f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
            f'default_hooks.checkpoint.interval={iters}', 'param_scheduler.0.end=1',
            'param_scheduler.1.begin=1', 'default_hooks.logger.interval=1']


@pytest.fixture(scope='session')
def r18_checkpoint(tmp_path_factory, synthetic_root, mano_dir) -> dict:
    """An (untrained) hoverse_plus_r18_synthetic checkpoint and the options that point the
    config at the tiny synthetic set: ``{'path', 'options' (dict), 'cli' (list)}``."""
    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from hoverse.registry import MODELS
    options = {'model.mano_head.mano.model_path': mano_dir,
               'model.object_models_root': f'{synthetic_root}/models'}
    cfg = Config.fromfile(osp.join(REPO, 'configs/hoverse_plus/hoverse_plus_r18_synthetic.py'))
    cfg.merge_from_dict(options)
    init_default_scope('hoverse')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    path = str(tmp_path_factory.mktemp('ckpt') / 'r18.pth')
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, path)
    return dict(path=path, options=options, cli=[f'{k}={v}' for k, v in options.items()])


def build_synthetic_model_and_batch(config: str, synthetic_root: str, mano_dir: str,
                                    num: int = 2, loader: str = 'train_dataloader',
                                    **dataset_overrides):
    """``(model, collated batch of the first num samples, cfg)`` of a synthetic config
    pointed at the tiny rendered set (seed 0); ``dataset_overrides`` update the loader's
    dataset (e.g. ``ann_file``)."""
    import torch
    from mmengine.config import Config
    from mmengine.dataset import pseudo_collate
    from mmengine.registry import init_default_scope

    from hoverse.registry import DATASETS, MODELS
    init_default_scope('hoverse')
    cfg = Config.fromfile(config if osp.isabs(config) else osp.join(REPO, config))
    cfg.model.mano_head.mano.model_path = mano_dir
    cfg.model.object_models_root = f'{synthetic_root}/models'
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    d = cfg[loader].dataset
    d.update(data_root=synthetic_root, mano_path=mano_dir, **dataset_overrides)
    ds = DATASETS.build(d)
    return model, pseudo_collate([ds[i] for i in range(min(num, len(ds)))]), cfg


class AnnotationSet:
    """The part of a hoverse dataset that annotation readers (baselines, probes) use:
    ``len`` and ``get_data_info(i)`` over a list of annotation dicts."""

    def __init__(self, infos):
        self.infos = infos

    def __len__(self):
        return len(self.infos)

    def get_data_info(self, i):
        return self.infos[i]
