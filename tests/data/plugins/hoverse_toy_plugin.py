"""A user plugin that lives only under tests/: registered through ``custom_imports``.

A linear regressor on a deterministic toy dataset, a metric, and a hook that writes each
rank's final weights (to check that distributed ranks agree).
"""
import os.path as osp

import torch
from mmengine.dist import get_rank
from mmengine.evaluator import BaseMetric
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from torch.utils.data import Dataset

from hoverse.registry import DATASETS, HOOKS, METRICS, MODELS


@DATASETS.register_module()
class ToyDataset(Dataset):
    """``size`` samples ``x (4,)``, ``y (1,) = x @ w + 0.5`` from a fixed generator."""

    def __init__(self, size: int = 64) -> None:
        gen = torch.Generator().manual_seed(123)
        self.x = torch.randn(size, 4, generator=gen)
        self.y = self.x @ torch.tensor([[1.0], [-2.0], [0.5], [3.0]]) + 0.5
        self.metainfo = dict(dataset_name='toy')

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, i: int) -> dict:
        return dict(inputs=self.x[i], data_samples=self.y[i])


@MODELS.register_module()
class ToyRegressor(BaseModel):

    def __init__(self, in_dim: int = 4) -> None:
        super().__init__()
        self.fc = torch.nn.Linear(in_dim, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        pred = self.fc(inputs)
        if mode == 'loss':
            return dict(loss_mse=((pred - data_samples)**2).mean())
        if mode == 'predict':
            return [dict(pred=p, gt=t) for p, t in zip(pred, data_samples)]
        return pred


@METRICS.register_module()
class ToyMSEMetric(BaseMetric):
    default_prefix = 'toy'

    def process(self, data_batch, data_samples) -> None:
        for s in data_samples:
            self.results.append(float(((s['pred'] - s['gt'])**2).mean()))

    def compute_metrics(self, results) -> dict:
        return dict(mse=sum(results) / len(results))


@HOOKS.register_module()
class DumpRankWeightsHook(Hook):
    """After training, every rank saves its weights to ``work_dir/rank{r}_final.pt``."""

    def after_run(self, runner) -> None:
        model = runner.model.module if hasattr(runner.model, 'module') else runner.model
        torch.save(model.state_dict(), osp.join(runner.work_dir, f'rank{get_rank()}_final.pt'))


@HOOKS.register_module()
class SelfKillHook(Hook):
    """Kills its own process with SIGKILL after iteration ``$HOVERSE_TEST_KILL_AT_ITER``
    (nothing happens when the variable is unset): an interrupted run, without clean-up."""

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        import os
        import signal
        at = os.environ.get('HOVERSE_TEST_KILL_AT_ITER')
        if at is not None and runner.iter + 1 == int(at):
            os.kill(os.getpid(), signal.SIGKILL)


def _install_kill_in_save() -> None:
    """With ``$HOVERSE_TEST_KILL_IN_SAVE=iter_8.pth`` the process SIGKILLs itself when the
    atomic write of that checkpoint syncs its temporary file: the bytes are on disk, the
    rename has not happened (fault injection for the checkpoint rotation)."""
    import os
    import signal
    target = os.environ.get('HOVERSE_TEST_KILL_IN_SAVE')
    if not target:
        return
    real_fsync = os.fsync

    def fsync(fd):
        try:
            name = os.path.basename(os.readlink(f'/proc/self/fd/{fd}'))
        except OSError:
            name = ''
        if name.startswith(f'.{target}.') and name.endswith('.tmp'):
            os.kill(os.getpid(), signal.SIGKILL)
        return real_fsync(fd)

    os.fsync = fsync


_install_kill_in_save()


def _install_checkpoint_event_hooks() -> None:
    """Fault injection over every file operation of checkpoint saving and rotation
    (``*.pth`` and ``last_checkpoint``: temporary file creation, sync, rename, delete).
    ``$HOVERSE_FAULT_LOG=FILE`` appends one line per operation; ``$HOVERSE_FAULT_KILL_AT=N``
    SIGKILLs the process just before the N-th operation (1-based)."""
    import os
    import signal
    import tempfile
    log, kill_at = os.environ.get('HOVERSE_FAULT_LOG'), os.environ.get('HOVERSE_FAULT_KILL_AT')
    if not log and not kill_at:
        return
    count = [0]

    def ours(path) -> bool:
        name = os.path.basename(str(path))
        return '.pth' in name or 'last_checkpoint' in name

    def event(kind, path):
        if not ours(path):
            return
        count[0] += 1
        if log:
            with open(log, 'a') as f:
                f.write(f'{count[0]} {kind} {os.path.basename(str(path))}\n')
        if kill_at and count[0] == int(kill_at):
            os.kill(os.getpid(), signal.SIGKILL)

    def wrap(module, name, path_of):
        real = getattr(module, name)

        def wrapped(*args, **kwargs):
            event(name, path_of(*args, **kwargs))
            return real(*args, **kwargs)
        setattr(module, name, wrapped)

    def fd_path(fd, *_a, **_k):
        try:
            return os.readlink(f'/proc/self/fd/{fd}')
        except OSError:
            return ''

    wrap(os, 'fsync', fd_path)
    wrap(os, 'replace', lambda src, dst, *a, **k: dst)
    wrap(os, 'remove', lambda path, *a, **k: path)
    wrap(tempfile, 'mkstemp', lambda *a, prefix='', **k: prefix)


_install_checkpoint_event_hooks()
