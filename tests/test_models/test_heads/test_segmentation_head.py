import pytest
import torch

from hoverse.models.heads import SegmentationHead
from hoverse.testing.samples import make_samples


def _feats(batch=2):
    torch.manual_seed(0)
    return {'hand': torch.randn(batch, 8, 4, 4), 'object': torch.randn(batch, 8, 4, 4),
            'input_size': 32.0}


def test_shapes_and_prediction_at_crop_size():
    head = SegmentationHead(in_channels=8, hidden=16, num_classes=3).eval()
    out = head(_feats(), make_samples(2))
    assert out['logits'].shape == (2, 3, 4, 4)
    mask = head.predict(_feats(), make_samples(2))['seg_mask']
    assert mask.shape == (2, 32, 32) and mask.dtype == torch.int64
    assert 0 <= int(mask.min()) and int(mask.max()) < 3
    assert SegmentationHead(in_channels=8, num_classes=5)(_feats(), None)['logits'].shape[1] == 5


def test_loss_is_the_cross_entropy_and_learns_a_mask():
    head = SegmentationHead(in_channels=8, hidden=16)
    mask = torch.zeros(2, 32, 32, dtype=torch.uint8)
    mask[:, 8:24, 4:16], mask[:, 8:24, 16:28] = 1, 2
    samples = make_samples(2, gt=dict(mask=mask))
    # uniform logits: the cross-entropy is log(3)
    for p in head.conv[-1].parameters():
        torch.nn.init.zeros_(p)
    loss0 = head.loss(_feats(), samples)['loss_seg']
    torch.testing.assert_close(loss0, torch.log(torch.tensor(3.0)))
    optim = torch.optim.Adam(head.parameters(), lr=1e-2)
    for _ in range(60):
        optim.zero_grad()
        loss = head.loss(_feats(), samples)['loss_seg']
        loss.backward()
        optim.step()
    assert loss < 0.5 * loss0


def test_missing_masks_name_the_pipeline_step():
    head = SegmentationHead(in_channels=8, hidden=16)
    with pytest.raises(KeyError, match='with_mask=True'):
        head.loss(_feats(), make_samples(2))
