"""The configs' optimiser: Adam with its fused kernel, the same steps as torch's per-tensor
loop, and checkpoints of either kind resume."""
import copy
import os.path as osp

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

from tests.conftest import REPO
from tests.test_configs.test_all_configs import CONFIGS

TRAINED = [p for p in CONFIGS if '_base_' not in p]


def _small_net() -> nn.Module:
    """(No convolution bias before the batch norm: its gradient would be rounding noise,
    which Adam scales up to full steps.)"""
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 8, 3, bias=False), nn.BatchNorm2d(8), nn.ReLU(), nn.Flatten(),
                         nn.Linear(8 * 6 * 6, 5))


def _steps(model: nn.Module, opt: torch.optim.Optimizer, n: int, seed: int = 1) -> None:
    g = torch.Generator().manual_seed(seed)
    for _ in range(n):
        x = torch.randn(4, 3, 8, 8, generator=g)
        opt.zero_grad()
        model(x).square().mean().backward()
        opt.step()


@pytest.mark.parametrize('path', TRAINED, ids=lambda p: osp.relpath(p, REPO))
def test_every_config_trains_with_the_fused_adam(path):
    cfg = Config.fromfile(path)
    init_default_scope('hoverse')
    wrapper = build_optim_wrapper(_small_net(), copy.deepcopy(cfg.optim_wrapper))
    opt = wrapper.optimizer
    assert isinstance(opt, torch.optim.Adam), type(opt)
    assert all(group['fused'] is True for group in opt.param_groups)


def test_the_fused_kernel_takes_the_loops_steps():
    nets = [_small_net(), _small_net()]
    opts = [torch.optim.Adam(nets[0].parameters(), lr=1e-2, foreach=False),
            torch.optim.Adam(nets[1].parameters(), lr=1e-2, fused=True)]
    for net, opt in zip(nets, opts):
        _steps(net, opt, 20)
    moved = 0.0
    for a, b, start in zip(nets[0].parameters(), nets[1].parameters(),
                           _small_net().parameters()):
        torch.testing.assert_close(b, a, rtol=1e-5, atol=1e-6)
        moved = max(moved, (a - start).abs().max().item())
    assert moved > 0.05  # twenty steps at 1e-2 moved the weights: the comparison means something


@pytest.mark.parametrize('saved_fused', [False, True])
def test_a_checkpointed_optimiser_resumes_into_the_configs_one(saved_fused):
    """Checkpoints from runs before the fused kernel (and after) resume and continue as the
    uninterrupted run does."""
    net = _small_net()
    opt = torch.optim.Adam(net.parameters(), lr=1e-2, fused=saved_fused or None)
    _steps(net, opt, 3)
    saved_net, saved_opt = copy.deepcopy(net.state_dict()), copy.deepcopy(opt.state_dict())
    _steps(net, opt, 2, seed=7)

    resumed = _small_net()
    resumed.load_state_dict(saved_net)
    new_opt = torch.optim.Adam(resumed.parameters(), lr=1e-2, fused=True)
    new_opt.load_state_dict(saved_opt)
    _steps(resumed, new_opt, 2, seed=7)
    for a, b in zip(net.parameters(), resumed.parameters()):
        torch.testing.assert_close(b, a, rtol=1e-5, atol=1e-6)


def test_loss_scaled_steps_stay_on_the_device(monkeypatch):
    """fp16 training scales the loss (mmengine's ``AmpOptimWrapper`` on a GPU): torch's
    ``GradScaler`` reads its inf check back to the host before a per-tensor Adam step, but
    hands it to the fused kernel as a tensor. Shown with the scaler on the CPU."""
    init_default_scope('hoverse')
    cfg = Config.fromfile(osp.join(REPO, 'configs/hoverse/hoverse_r50_synthetic.py'))
    reads = []
    item = torch.Tensor.item

    def counted_item(self, *args):
        reads.append(tuple(self.shape))
        return item(self, *args)

    for fused in (True, False):
        net = _small_net()
        opt_cfg = dict(copy.deepcopy(cfg.optim_wrapper.optimizer), fused=fused)
        opt = build_optim_wrapper(net, dict(type='OptimWrapper', optimizer=opt_cfg)).optimizer
        scaler = torch.amp.GradScaler('cpu')
        scaler.scale(net(torch.randn(4, 3, 8, 8)).square().mean()).backward()
        scaler.unscale_(opt)
        reads.clear()
        monkeypatch.setattr(torch.Tensor, 'item', counted_item)
        scaler.step(opt)
        scaler.update()
        monkeypatch.setattr(torch.Tensor, 'item', item)
        if fused:
            assert reads == []
        else:  # the check can fail: the loop's step does read back
            assert reads
