import pytest
import torch
from mmengine.model import ImgDataPreprocessor

from hoverse.models.data_preprocessors import HandObjectDataPreprocessor


def test_normalises_a_list_and_a_batch_alike():
    pre = HandObjectDataPreprocessor(mean=(10.0, 20.0, 30.0), std=(2.0, 4.0, 5.0))
    assert isinstance(pre, ImgDataPreprocessor)
    imgs = [torch.full((3, 4, 6), 40, dtype=torch.uint8), torch.zeros(3, 4, 6, dtype=torch.uint8)]
    out = pre(dict(inputs=imgs, data_samples=['a', 'b']))
    assert out['inputs'].shape == (2, 3, 4, 6) and out['inputs'].dtype == torch.float32
    torch.testing.assert_close(out['inputs'][0, :, 0, 0], torch.tensor([15.0, 5.0, 2.0]))
    torch.testing.assert_close(out['inputs'][1, :, 0, 0], torch.tensor([-5.0, -5.0, -6.0]))
    assert out['data_samples'] == ['a', 'b']
    batch = pre(dict(inputs=torch.stack(imgs)))['inputs']
    torch.testing.assert_close(batch, out['inputs'])


def test_mixed_sizes_and_non_rgb_are_named():
    pre = HandObjectDataPreprocessor()
    with pytest.raises(ValueError, match=r'one size.*\(3, 4, 4\).*\(3, 8, 8\)'):
        pre(dict(inputs=[torch.zeros(3, 4, 4), torch.zeros(3, 8, 8)]))
    with pytest.raises(ValueError, match=r'\(B, 3, H, W\).*\(1, 4, 4\)'):
        pre(dict(inputs=[torch.zeros(1, 4, 4)]))
