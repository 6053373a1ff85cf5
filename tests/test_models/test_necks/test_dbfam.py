import pytest
import torch

from hoverse.models.necks import DBFAM

CODEC = dict(type='SoftArgmaxHeatmap', input_size=64, heatmap_size=8)


def _feats(batch: int, c: int = 32, s: int = 8):
    torch.manual_seed(0)
    return {'hand': torch.randn(batch, c, s, s), 'object': torch.randn(batch, c, s, s)}


@pytest.mark.parametrize('batch', [1, 3])
def test_output_shapes_and_dtypes(batch):
    neck = DBFAM(in_channels=32, hidden=16, codec=CODEC).eval()
    out = neck(_feats(batch), 64.0)
    for name, k in (('hand', 21), ('object', 9)):
        assert out[f'{name}_secondary'].shape == (batch, 32, 8, 8)
        assert out[f'{name}_heatmaps'].shape == (batch, k, 8, 8)
        assert out[f'{name}_kpts'].shape == (batch, k, 2)
        assert out[f'{name}_kpt_feats'].shape == (batch, k, 16)
        assert out[f'{name}_secondary'].dtype == torch.float32
        # soft-argmax keypoints stay inside the input crop (pixels)
        assert out[f'{name}_kpts'].min() >= 0 and out[f'{name}_kpts'].max() <= 64
    assert out['contact_adjacency'].shape == (batch, 21, 9)
    assert torch.equal(out['hand'], _feats(batch)['hand'])  # primary features kept


def test_contact_branch_couples_hand_and_object():
    neck = DBFAM(in_channels=32, hidden=16, codec=CODEC).eval()
    f = _feats(2)
    base = neck(f, 64.0)['hand_kpt_feats']
    f2 = dict(f, object=f['object'] + torch.randn_like(f['object']))
    moved = neck(f2, 64.0)['hand_kpt_feats']
    assert not torch.allclose(base, moved)  # hand keypoints read the object's
    alone = DBFAM(in_channels=32, hidden=16, codec=CODEC, use_contact=False).eval()
    alone.load_state_dict(neck.state_dict(), strict=False)
    torch.testing.assert_close(alone(f, 64.0)['hand_kpt_feats'],
                               alone(f2, 64.0)['hand_kpt_feats'])


def test_gradients_reach_inputs():
    neck = DBFAM(in_channels=32, hidden=16, codec=CODEC)
    f = {k: v.requires_grad_() for k, v in _feats(2).items()}
    out = neck(f, 64.0)
    (out['hand_secondary'].sum() + out['object_kpts'].sum()).backward()
    assert f['hand'].grad.abs().sum() > 0 and f['object'].grad.abs().sum() > 0


def test_maps_of_another_size_than_the_codec_are_an_error():
    neck = DBFAM(in_channels=32, hidden=16, codec=CODEC).eval()
    with pytest.raises(ValueError, match=r'heatmap logits are \(16, 16\).*expects \(8, 8\)'):
        neck(_feats(1, s=16), 128.0)  # a 128 px crop's maps through a 64 px codec


def test_topology_graphs_from_arguments():
    codec = dict(type='SoftArgmaxHeatmap', input_size=64, heatmap_size=8)
    chain = [(i, i + 1) for i in range(20)]  # another hand graph: one long chain
    neck = DBFAM(in_channels=8, hidden=8, codec=codec, hand_skeleton=chain)
    default = DBFAM(in_channels=8, hidden=8, codec=codec)
    a, b = neck.hand.topology.adj, default.hand.topology.adj
    assert a.shape == b.shape == (21, 21) and not torch.equal(a, b)
    assert a[0, 1] > 0 and a[0, 4] == 0 and b[0, 4] > 0  # wrist-middle1 only in MANO's tree
    with pytest.raises(ValueError, match=r'hand_skeleton edges \[\(20, 21\)\]'):
        DBFAM(in_channels=8, hidden=8, codec=codec, hand_skeleton=[(20, 21)])


@pytest.mark.parametrize('upsample', [2, 4])
def test_finer_heatmaps_than_the_feature_map(upsample):
    codec = dict(type='SoftArgmaxHeatmap', input_size=64, heatmap_size=8 * upsample)
    neck = DBFAM(in_channels=32, hidden=16, codec=codec, heatmap_upsample=upsample).eval()
    f = {k: v.requires_grad_() for k, v in _feats(2).items()}
    out = neck(f, 64.0)
    assert out['hand_heatmaps'].shape == (2, 21, 8 * upsample, 8 * upsample)
    assert out['object_heatmaps'].shape == (2, 9, 8 * upsample, 8 * upsample)
    assert out['hand_secondary'].shape == (2, 32, 8, 8)  # scattered on the feature grid
    (out['hand_secondary'].sum() + out['hand_kpts'].sum()).backward()
    assert f['hand'].grad.abs().sum() > 0
    # a map through the stride-8 codec is an error naming both sizes
    coarse = DBFAM(in_channels=32, hidden=16, codec=CODEC, heatmap_upsample=upsample).eval()
    with pytest.raises(ValueError, match=rf'\({8 * upsample}, {8 * upsample}\).*expects \(8, 8\)'):
        coarse(_feats(1), 64.0)


def test_scatter_weights_sum_each_block():
    neck = DBFAM(in_channels=8, hidden=8, heatmap_upsample=2,
                 codec=dict(type='SoftArgmaxHeatmap', input_size=64, heatmap_size=16))
    probs = torch.softmax(torch.randn(2, 21, 256), -1).view(2, 21, 16, 16)
    w = neck.hand.scatter_weights(probs)
    assert w.shape == (2, 21, 8, 8)
    torch.testing.assert_close(w.sum((2, 3)), torch.ones(2, 21))  # still a distribution
    torch.testing.assert_close(w[0, 0, 3, 5], probs[0, 0, 6:8, 10:12].sum())


def test_upsampling_leaves_the_stride_8_layout_loadable():
    plain = DBFAM(in_channels=8, hidden=8, codec=CODEC)
    assert list(DBFAM(in_channels=8, hidden=8, codec=CODEC, heatmap_upsample=1)
                .state_dict()) == list(plain.state_dict())  # old checkpoints still load
    with pytest.raises(ValueError, match='heatmap_upsample must be 1, 2 or 4.*got 3'):
        DBFAM(in_channels=8, hidden=8, codec=CODEC, heatmap_upsample=3)


def _fine_feats(batch: int, fine_channels: int = 12):
    f = _feats(batch)
    fine = torch.randn(batch, fine_channels, 16, 16)
    return dict(f, hand_fine=fine, object_fine=fine.clone())


@pytest.mark.parametrize('upsample', [2, 4])
def test_the_stride_4_skip_reaches_the_heatmaps(upsample):
    codec = dict(type='SoftArgmaxHeatmap', input_size=64, heatmap_size=8 * upsample)
    neck = DBFAM(in_channels=32, hidden=16, codec=codec, heatmap_upsample=upsample,
                 fine_channels=12).eval()
    f = {k: v.requires_grad_() for k, v in _fine_feats(2).items()}
    out = neck(f, 64.0)
    assert out['hand_heatmaps'].shape == (2, 21, 8 * upsample, 8 * upsample)
    out['hand_kpts'].sum().backward()
    assert f['hand_fine'].grad.abs().sum() > 0 and f['hand'].grad.abs().sum() > 0
    assert f['object_fine'].grad is None  # each branch reads its own map
    changed = dict(f, hand_fine=f['hand_fine'] + 1.0)
    assert not torch.allclose(neck(changed, 64.0)['hand_heatmaps'], out['hand_heatmaps'])
    # the plain layout's keys are unchanged, the skip's are added
    plain = DBFAM(in_channels=32, hidden=16, codec=codec, heatmap_upsample=upsample)
    extra = set(neck.state_dict()) - set(plain.state_dict())
    assert set(plain.state_dict()) <= set(neck.state_dict())
    assert extra and all('.fine_' in k for k in extra)


def test_the_stride_4_skip_names_what_is_wrong():
    codec = dict(type='SoftArgmaxHeatmap', input_size=64, heatmap_size=16)
    neck = DBFAM(in_channels=32, hidden=16, codec=codec, heatmap_upsample=2, fine_channels=12)
    with pytest.raises(KeyError, match='hand_fine.*fine_features=True'):
        neck(_feats(1), 64.0)
    with pytest.raises(ValueError, match='fine_channels=12.*hand_fine has 8 channels'):
        neck(_fine_feats(1, fine_channels=8), 64.0)
    wrong_size = dict(_fine_feats(1), hand_fine=torch.randn(1, 12, 8, 8))
    with pytest.raises(ValueError, match=r'fine map \(8, 8\) must match.*\(16, 16\)'):
        neck(wrong_size, 64.0)
    with pytest.raises(ValueError, match='fine_channels needs heatmap_upsample 2 or 4'):
        DBFAM(in_channels=32, hidden=16, codec=CODEC, fine_channels=12)
