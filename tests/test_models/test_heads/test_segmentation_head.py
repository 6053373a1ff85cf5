import pytest
import torch

from hoverse.models.heads import SEG_CLASSES, SegmentationHead


def _feats(batch=2):
    torch.manual_seed(0)
    return {'hand': torch.randn(batch, 8, 4, 4), 'object': torch.randn(batch, 8, 4, 4)}


def test_shapes_and_prediction_at_crop_size():
    head = SegmentationHead(in_channels=8, hidden=16).eval()
    out = head(_feats())
    assert out['logits'].shape == (2, len(SEG_CLASSES), 4, 4)
    mask = head.predict(out, (32, 32))['seg_mask']
    assert mask.shape == (2, 32, 32) and mask.dtype == torch.int64
    assert 0 <= int(mask.min()) and int(mask.max()) < len(SEG_CLASSES)


def test_loss_is_the_cross_entropy_and_learns_a_mask():
    head = SegmentationHead(in_channels=8, hidden=16)
    feats = _feats()
    mask = torch.zeros(2, 32, 32, dtype=torch.int64)
    mask[:, 8:24, 4:16], mask[:, 8:24, 16:28] = 1, 2
    targets = dict(mask=mask)
    # uniform logits: the cross-entropy is log(3)
    for p in head.conv[-1].parameters():
        torch.nn.init.zeros_(p)
    loss0 = head.loss(head(feats), targets)['loss_seg']
    torch.testing.assert_close(loss0, torch.log(torch.tensor(3.0)))
    optim = torch.optim.Adam(head.parameters(), lr=1e-2)
    for _ in range(60):
        optim.zero_grad()
        loss = head.loss(head(feats), targets)['loss_seg']
        loss.backward()
        optim.step()
    assert loss < 0.5 * loss0


def test_missing_masks_name_the_pipeline_step():
    head = SegmentationHead(in_channels=8, hidden=16)
    with pytest.raises(KeyError, match='with_mask=True'):
        head.loss(head(_feats()), dict(mask=None))
