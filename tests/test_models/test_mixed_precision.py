"""bf16 autocast on the CPU: every loss term close to float32, the precision-critical ones
computed in float32, and a mixed-precision train step from config."""
import pytest
import torch

from hoverse.engine.optim_wrapper import DeferredLogAmpOptimWrapper
from hoverse.models.losses import GeodesicRotationLoss

#: bf16 keeps 8 bits of mantissa (~0.4 % per operation); through the network the loss terms
#: stay within this relative tolerance of float32 (or this absolute one for terms near 0)
REL, ABS = 0.08, 2e-3


@pytest.fixture(scope='module')
def model_and_batch(synthetic_root, mano_dir):
    from tests.conftest import build_synthetic_model_and_batch
    return build_synthetic_model_and_batch('configs/hoverse_plus/hoverse_plus_r18_synthetic.py',
                                           synthetic_root, mano_dir, num=4)


def test_bf16_losses_match_float32(model_and_batch):
    model, batch, _ = model_and_batch
    model.eval()  # batch-norm statistics fixed: the same function in both precisions
    data = model.data_preprocessor(batch, True)
    with torch.no_grad():
        ref = model(**data, mode='loss')
        with torch.autocast('cpu', dtype=torch.bfloat16):
            low = model(**data, mode='loss')
    assert set(ref) == set(low)
    for key in ref:
        assert torch.isfinite(low[key]), key
        assert low[key].float().item() == pytest.approx(ref[key].item(), rel=REL, abs=ABS), key


def test_precision_critical_losses_stay_float32():
    R = torch.eye(3)[None].repeat(2, 1, 1)
    R2 = R.clone()
    c, s = torch.cos(torch.tensor(0.01)), torch.sin(torch.tensor(0.01))
    R2[1] = torch.tensor([[1.0, 0, 0], [0, c, -s], [0, s, c]])
    ref = GeodesicRotationLoss()(R, R2)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        out = GeodesicRotationLoss()(R, R2)
        # what the same arithmetic gives in bf16: the trace rounds to 3, the angle to 0
        naive = torch.arccos(((torch.bmm(R.transpose(1, 2), R2).diagonal(dim1=1, dim2=2)
                               .sum(-1) - 1) / 2).clamp(-1, 1)).mean()
    assert out.dtype == torch.float32
    assert out.item() == pytest.approx(ref.item(), rel=1e-5)
    # the identity's angle is the gradient-safe floor arccos(1 - 1e-6) = 0.0014 rad
    assert ref.item() == pytest.approx((0.01 + 0.0014142) / 2, rel=5e-3)
    assert abs(naive.float().item() - ref.item()) > 0.002


def test_amp_wrapper_trains_on_cpu_in_bf16_only(model_and_batch):
    from mmengine.optim import build_optim_wrapper
    model, batch, cfg = model_and_batch
    model.train()
    wrapper = build_optim_wrapper(model, dict(cfg.optim_wrapper, type='DeferredLogAmpOptimWrapper',
                                              dtype='bfloat16'))
    assert isinstance(wrapper, DeferredLogAmpOptimWrapper)
    weight = next(model.backbone.parameters())
    before = weight.detach().clone()
    log = model.train_step(batch, wrapper)
    assert all(torch.isfinite(v) for v in log.values())
    assert not torch.equal(before, weight)
    assert torch.isfinite(wrapper.last_grad_norm)
    assert 'loss_scaler' not in wrapper.state_dict()
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match='bfloat16 only'):
            build_optim_wrapper(model, dict(cfg.optim_wrapper,
                                            type='DeferredLogAmpOptimWrapper', dtype='float16'))


def test_channels_last_gives_the_same_outputs(model_and_batch):
    from mmengine.registry import init_default_scope

    from hoverse.registry import MODELS
    model, batch, cfg = model_and_batch
    init_default_scope('hoverse')
    nhwc = MODELS.build(dict(cfg.model, channels_last=True))
    nhwc.load_state_dict(model.state_dict())
    w = next(p for p in nhwc.backbone.parameters() if p.dim() == 4)
    assert w.is_contiguous(memory_format=torch.channels_last)
    model.eval()
    nhwc.eval()
    data = model.data_preprocessor(batch, False)
    with torch.no_grad():
        a, b = model(data['inputs']), nhwc(data['inputs'])
    for k in a:
        torch.testing.assert_close(a[k], b[k], rtol=1e-4, atol=1e-5, msg=k)
