import pytest
import torch

from hoverse.models.backbones import DualStreamResNet
from hoverse.models.backbones.pretrained import PretrainedWeightsError


@pytest.mark.parametrize('batch', [1, 3])
def test_outputs_per_stream(batch):
    net = DualStreamResNet(depth=18, out_channels=32).eval()
    out = net(torch.randn(batch, 3, 64, 64))
    assert out['hand'].shape == (batch, 32, 8, 8) and out['object'].shape == (batch, 32, 8, 8)
    assert not torch.allclose(out['hand'], out['object'])  # separate streams


def test_shared_stream_ablation_gives_identical_features():
    net = DualStreamResNet(depth=18, out_channels=16, shared_streams=True).eval()
    out = net(torch.randn(1, 3, 64, 64))
    assert torch.equal(out['hand'], out['object'])
    assert set(out) == {'hand', 'object'}  # no stride-4 maps unless asked for


@pytest.mark.parametrize('depth,split,shared', [(18, 2, True), (50, 2, True), (18, 1, False)])
def test_fine_features_are_stage_1_at_stride_4(depth, split, shared):
    net = DualStreamResNet(depth=depth, split_stage=split, out_channels=16,
                           fine_features=True).eval()
    x = torch.randn(2, 3, 64, 64, requires_grad=True)
    out = net(x)
    assert net.fine_channels == (64 if depth == 18 else 256)
    for name in ('hand', 'object'):
        assert out[f'{name}_fine'].shape == (2, net.fine_channels, 16, 16)
        assert out[name].shape == (2, 16, 8, 8)
    # stage 1 is shared before the split: one map; past it, one per stream
    assert (out['hand_fine'] is out['object_fine']) == shared
    assert torch.equal(out['hand_fine'], out['object_fine']) == shared
    out['object_fine'].sum().backward()
    assert x.grad.abs().sum() > 0


def _torchvision_state_dict(net: DualStreamResNet):
    """A torchvision-format ResNet state dict with recognisable values."""
    sd = {}
    for k, v in net.state_dict().items():
        if k.startswith('streams.0.layer'):
            sd[k[len('streams.0.'):]] = torch.full_like(v, 0.5) if v.is_floating_point() else v
        elif not k.startswith('streams.'):
            sd[k] = torch.full_like(v, 0.25) if v.is_floating_point() else v
    sd['fc.weight'] = torch.zeros(1000, 512)
    return sd


def test_pretrained_torchvision_keys_load_into_both_streams(tmp_path):
    ref = DualStreamResNet(depth=18, split_stage=2)
    path = tmp_path / 'resnet18-local.pth'
    torch.save(_torchvision_state_dict(ref), path)
    net = DualStreamResNet(depth=18, split_stage=2,
                           init_cfg=dict(type='Pretrained', checkpoint=str(path)))
    net.init_weights()
    assert torch.all(net.conv1.weight == 0.25) and torch.all(net.layer1[0].conv1.weight == 0.25)
    for s in net.streams:
        assert torch.all(s.layer2[0].conv1.weight == 0.5)
        assert torch.all(s.layer4[1].conv2.weight == 0.5)


def test_a_missing_pretrained_file_is_an_error(tmp_path):
    net = DualStreamResNet(depth=18, init_cfg=dict(type='Pretrained',
                                                   checkpoint=str(tmp_path / 'none.pth')))
    with pytest.raises(PretrainedWeightsError, match="none.pth.*init_cfg=None"):
        net.init_weights()


def test_torchvision_weights_are_downloaded_once_then_read_from_the_hub_folder(
        tmp_path, monkeypatch):
    """torchvision://resnet18 missing from torch hub's folder: downloaded there (address and
    hash prefix torchvision's), loaded; the next build reads the file."""
    monkeypatch.setattr(torch.hub, 'get_dir', lambda: str(tmp_path / 'hub'))
    ref = DualStreamResNet(depth=18, split_stage=2)
    calls = []

    def download(url, dst, hash_prefix=None, progress=True):
        calls.append((url, dst, hash_prefix))
        torch.save(_torchvision_state_dict(ref), dst)
    monkeypatch.setattr(torch.hub, 'download_url_to_file', download)
    cfg = dict(type='Pretrained', checkpoint='torchvision://resnet18')
    net = DualStreamResNet(depth=18, split_stage=2, init_cfg=cfg)
    net.init_weights()
    assert torch.all(net.conv1.weight == 0.25)
    assert calls == [('https://download.pytorch.org/models/resnet18-f37072fd.pth',
                      str(tmp_path / 'hub' / 'checkpoints' / 'resnet18-f37072fd.pth'),
                      'f37072fd')]
    DualStreamResNet(depth=18, split_stage=2, init_cfg=cfg).init_weights()
    assert len(calls) == 1


def test_offline_without_the_weights_names_the_file_and_never_starts_randomly(
        tmp_path, monkeypatch):
    import urllib.error
    monkeypatch.setattr(torch.hub, 'get_dir', lambda: str(tmp_path / 'hub'))

    def offline(url, dst, hash_prefix=None, progress=True):
        raise urllib.error.URLError('no network')
    monkeypatch.setattr(torch.hub, 'download_url_to_file', offline)
    net = DualStreamResNet(depth=50, init_cfg=dict(type='Pretrained',
                                                   checkpoint='torchvision://resnet50'))
    expected = str(tmp_path / 'hub' / 'checkpoints' / 'resnet50-0676ba61.pth')
    with pytest.raises(PretrainedWeightsError) as err:
        net.init_weights()
    assert expected in str(err.value) and 'resnet50-0676ba61.pth' in str(err.value)
    assert 'init_cfg=None' in str(err.value)
    with pytest.raises(PretrainedWeightsError, match='unknown pretrained weights'):
        DualStreamResNet(depth=18, init_cfg=dict(type='Pretrained',
                                                 checkpoint='torchvision://resnet19')
                         ).init_weights()


@pytest.mark.parametrize('frozen', [-1, 0, 2, 3])
def test_frozen_stages_as_mmpose(frozen):
    net = DualStreamResNet(depth=18, split_stage=2, out_channels=16, frozen_stages=frozen)
    net.train()
    frozen_names = {'conv1', 'bn1'} if frozen >= 0 else set()
    frozen_names |= {'layer1'} if frozen >= 1 else set()
    stream_stages = {f'layer{s}' for s in range(2, frozen + 1)}
    for name, p in net.named_parameters():
        parts = name.split('.')
        is_frozen = parts[0] in frozen_names or (parts[0] == 'streams' and
                                                 parts[2] in stream_stages)
        assert p.requires_grad != is_frozen, name
    for name, m in net.named_modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            parts = name.split('.')
            is_frozen = parts[0] in frozen_names or (parts[0] == 'streams' and
                                                     parts[2] in stream_stages)
            assert m.training != is_frozen, name
    with pytest.raises(ValueError, match='frozen_stages'):
        DualStreamResNet(depth=18, frozen_stages=5)
