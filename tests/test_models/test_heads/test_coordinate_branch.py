import pytest
import torch

from hoverse.models.heads.coordinate_branch import CoordinateMapBranch


@pytest.mark.parametrize('upsample', [1, 2, 4])
def test_shapes_range_and_gradients(upsample):
    torch.manual_seed(0)
    branch = CoordinateMapBranch(8, hidden=16, upsample=upsample)
    x = torch.randn(2, 8, 4, 4, requires_grad=True)
    out = branch(x)
    size = 4 * upsample
    assert out['coords'].shape == (2, 3, size, size)
    assert out['mask_logits'].shape == (2, 1, size, size)
    assert out['coords'].abs().max() <= 1.0
    (out['coords'].sum() + out['mask_logits'].sum()).backward()
    assert x.grad.abs().sum() > 0


def test_bad_upsample_is_named():
    with pytest.raises(ValueError, match='upsample'):
        CoordinateMapBranch(8, upsample=3)
