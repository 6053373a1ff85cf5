import pytest
import torch

from hoverse.models.heads import ObjectPoseHead


@pytest.mark.parametrize('batch', [1, 3])
def test_output_shapes_and_rotation(batch):
    torch.manual_seed(0)
    head = ObjectPoseHead(in_channels=32, kpt_channels=16, hidden=64)
    torch.nn.init.normal_(head.regressor.mlp[-1].weight, std=0.1)  # away from identity
    feats = {'hand': torch.randn(batch, 32, 4, 4), 'object': torch.randn(batch, 32, 4, 4),
             'object_kpt_feats': torch.randn(batch, 9, 16)}
    out = head(feats)
    assert out['rot6d'].shape == (batch, 6) and out['trans_rel'].shape == (batch, 3)
    R = out['rot']
    assert R.shape == (batch, 3, 3) and R.dtype == torch.float32
    torch.testing.assert_close(R @ R.transpose(1, 2), torch.eye(3).expand_as(R), atol=1e-5,
                               rtol=0)
    torch.testing.assert_close(torch.linalg.det(R), torch.ones(batch))
    assert not torch.allclose(R, torch.eye(3).expand_as(R))
    out['trans_rel'].sum().backward()
    assert head.regressor.mlp[0].weight.grad.abs().sum() > 0


def test_starts_at_identity_and_zero_translation():
    head = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16, use_kpt_feats=False)
    out = head({'hand': torch.randn(2, 8, 2, 2), 'object': torch.randn(2, 8, 2, 2)})
    torch.testing.assert_close(out['rot'], torch.eye(3).expand(2, 3, 3), atol=0.05, rtol=0)
    torch.testing.assert_close(out['trans_rel'], torch.zeros(2, 3), atol=5e-3, rtol=0)
