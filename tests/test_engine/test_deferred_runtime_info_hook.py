"""Training scalars read back once per interval, and a train step that never waits for the
device (no Tensor -> Python number or numpy conversion inside it)."""
import traceback
from types import SimpleNamespace

import pytest
import torch
from mmengine.logging import MessageHub

from hoverse.engine.hooks import DeferredRuntimeInfoHook, NonFiniteLossError
from hoverse.engine.optim_wrapper import DeferredLogOptimWrapper


class _Logger:
    interval = 3
    by_epoch = False


_Logger.__name__ = 'LoggerHook'


def _runner(max_iters=7):
    wrapper = SimpleNamespace(last_grad_norm=None, grad_name='grad_norm')
    return SimpleNamespace(iter=0, max_iters=max_iters, hooks=[_Logger()], optim_wrapper=wrapper,
                           message_hub=MessageHub.get_instance('deferred_test'), epoch=0)


def test_means_over_each_interval_and_the_last_partial_one():
    runner, hook = _runner(), DeferredRuntimeInfoHook()
    hook._intervals = [3]
    hub = runner.message_hub
    logged = []
    for it in range(7):
        runner.iter = it
        runner.optim_wrapper.last_grad_norm = torch.tensor(10.0 * it)
        hook.after_train_iter(runner, it, outputs=dict(loss=torch.tensor(float(it))))
        if 'train/loss' in hub.log_scalars and len(hub.log_scalars['train/loss'].data[0]) > \
                len(logged):
            logged.append(hub.log_scalars['train/loss'].current())
    # iterations 0-2, 3-5, then the last one alone
    assert logged == [1.0, 4.0, 6.0]
    assert hub.log_scalars['train/grad_norm'].current() == pytest.approx(60.0)


def test_a_nan_in_the_interval_stops_at_the_flush_naming_the_term():
    runner, hook = _runner(), DeferredRuntimeInfoHook()
    hook._intervals = [3]
    runner.iter = 0
    hook.after_train_iter(runner, 0, outputs=dict(loss_a=torch.tensor(1.0),
                                                  loss_b=torch.tensor(float('nan'))))
    runner.iter = 1
    hook.after_train_iter(runner, 1, outputs=dict(loss_a=torch.tensor(1.0),
                                                  loss_b=torch.tensor(1.0)))
    runner.iter = 2
    with pytest.raises(NonFiniteLossError, match=r'iterations 1 and 3: loss_b=nan'):
        hook.after_train_iter(runner, 2, outputs=dict(loss_a=torch.tensor(1.0),
                                                      loss_b=torch.tensor(1.0)))


def test_train_step_makes_no_host_round_trip(model_and_batch):
    model, batch, cfg = model_and_batch
    from mmengine.optim import build_optim_wrapper
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    assert isinstance(wrapper, DeferredLogOptimWrapper)
    model.train()
    model.train_step(batch, wrapper)  # warm-up: templates, caches
    calls = _record(lambda: model.train_step(batch, wrapper))
    assert calls == [], 'host round trips in the train step:\n' + '\n'.join(calls[:5])
    assert torch.is_tensor(wrapper.last_grad_norm)
    # mmengine's plain wrapper reads the norm every step: the check sees it
    plain = build_optim_wrapper(model, dict(cfg.optim_wrapper, type='OptimWrapper'))
    assert any('_clip_grad' in c for c in _record(lambda: model.train_step(batch, plain)))


ALLOWED = ('torch/optim/', 'mmengine/model/utils.py')


def _record(fn):
    calls, orig = [], {}

    def patch(name):
        f = getattr(torch.Tensor, name)
        orig[name] = f

        def wrapper(self, *a, **k):
            stack = traceback.format_stack(limit=8)[:-1]
            if not any(a_ in stack[-1] for a_ in ALLOWED):
                calls.append(f'{name}: ' + ''.join(stack[-3:]))
            return f(self, *a, **k)
        setattr(torch.Tensor, name, wrapper)

    for n in ('item', 'cpu', 'numpy', 'tolist', '__bool__', '__float__', '__int__', '__index__'):
        patch(n)
    try:
        fn()
    finally:
        for n, f in orig.items():
            setattr(torch.Tensor, n, f)
    return calls


@pytest.fixture(scope='module')
def model_and_batch(synthetic_root, mano_dir):
    from tests.conftest import build_synthetic_model_and_batch
    return build_synthetic_model_and_batch('configs/hoverse_plus/hoverse_plus_r18_synthetic.py',
                                           synthetic_root, mano_dir, num=2)


def test_interval_window_is_the_loggers_interval():
    from hoverse.engine import IntervalLogProcessor
    proc = IntervalLogProcessor(window_size=1, custom_cfg=[
        dict(data_src='time', method_name='mean', window_size='interval')])
    runner = SimpleNamespace(hooks=[_Logger()], iter=10)
    assert proc._parse_windows_size(runner, 10)[0]['window_size'] == 3


def test_epoch_based_runs_flush_within_the_epoch_and_at_its_end():
    runner, hook = _runner(max_iters=100), DeferredRuntimeInfoHook()
    hook._intervals = [3]
    runner.train_dataloader = list(range(5))  # 5 iterations an epoch
    runner.train_loop = type('EpochBasedTrainLoop', (), {})()
    flushed = []
    for it in range(10):
        runner.iter = it
        before = hook._count
        hook.after_train_iter(runner, it % 5, outputs=dict(loss=torch.tensor(1.0)))
        if hook._count == 0 and before + 1 > 0:
            flushed.append(it)
    # inner iterations 3 and 5 (end of epoch) of each epoch, and global multiples of 3
    assert flushed == [2, 4, 5, 7, 8, 9]
    # an iteration-based loop (batch_idx is the global iteration): global multiples only,
    # however long its dataloader's "epoch"
    runner.train_loop = type('IterBasedTrainLoop', (), {})()
    flushed = []
    for it in range(10):
        runner.iter = it
        hook.after_train_iter(runner, it, outputs=dict(loss=torch.tensor(1.0)))
        if hook._count == 0:
            flushed.append(it)
    assert flushed == [2, 5, 8]
