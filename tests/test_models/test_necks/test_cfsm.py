import pytest
import torch

from hoverse.models.necks import CFSM, DBFAM

CODEC = dict(type='SoftArgmaxHeatmap', input_size=64, heatmap_size=8)


def _feats(batch: int, c: int = 32, s: int = 8, secondary: bool = True):
    torch.manual_seed(0)
    f = {'hand': torch.randn(batch, c, s, s), 'object': torch.randn(batch, c, s, s)}
    if secondary:
        f.update(hand_secondary=torch.randn(batch, c, s, s),
                 object_secondary=torch.randn(batch, c, s, s))
    return f


@pytest.mark.parametrize('batch', [1, 3])
@pytest.mark.parametrize('secondary', [True, False])
def test_output_shapes(batch, secondary):
    neck = CFSM(channels=32, num_heads=4, token_stride=1).eval()
    out = neck(_feats(batch, secondary=secondary), 64.0)
    for name in ('hand', 'object'):
        assert out[name].shape == (batch, 32, 8, 8) and out[name].dtype == torch.float32
        assert torch.isfinite(out[name]).all()


def test_cross_attention_reads_the_other_branch():
    neck = CFSM(channels=32, num_heads=4, token_stride=1).eval()
    f = _feats(2)
    base = neck(f, 64.0)
    f2 = dict(f, object=f['object'] * 2 + 1)
    moved = neck(f2, 64.0)
    assert not torch.allclose(base['hand'], moved['hand'])  # hand queries object tokens
    f3 = dict(f, hand=f['hand'] * 2 + 1)
    assert not torch.allclose(base['object'], neck(f3, 64.0)['object'])


def test_token_stride_keeps_map_size_and_passes_gradients():
    neck = CFSM(channels=32, num_heads=4, token_stride=2)
    f = {k: v.requires_grad_() for k, v in _feats(1).items()}
    out = neck(f, 64.0)
    assert out['hand'].shape == (1, 32, 8, 8)
    out['hand'].sum().backward()
    assert all(f[k].grad.abs().sum() > 0 for k in ('hand', 'object', 'hand_secondary'))


def test_after_dbfam():
    f = DBFAM(in_channels=32, hidden=16, codec=CODEC).eval()(_feats(3, secondary=False), 64.0)
    out = CFSM(channels=32, num_heads=2, token_stride=1).eval()(f, 64.0)
    assert out['hand'].shape == (3, 32, 8, 8) and 'hand_kpts' in out


def test_gate_and_attention_switch_off_separately():
    f = _feats(2)
    gate_only = CFSM(channels=32, num_heads=4, token_stride=1, use_attention=False).eval()
    out = gate_only(f, 64.0)
    assert not hasattr(gate_only, 'h_from_o')
    # without attention the object map cannot depend on the hand map
    g = dict(f, hand=torch.randn_like(f['hand']))
    torch.testing.assert_close(gate_only(g, 64.0)['object'], out['object'])
    attn_only = CFSM(channels=32, num_heads=4, token_stride=1, use_gate=False).eval()
    assert not hasattr(attn_only, 'gate')
    assert not torch.allclose(attn_only(g, 64.0)['object'], attn_only(f, 64.0)['object'])
    with pytest.raises(ValueError, match='neither its gate nor its attention'):
        CFSM(channels=32, use_gate=False, use_attention=False)
