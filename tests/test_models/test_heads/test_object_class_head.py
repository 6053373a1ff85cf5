import math

import pytest
import torch

from hoverse.models.heads import ObjectClassificationHead

NAMES = ['ball', 'box', 'mug']


def _feats(B=4, C=8):
    torch.manual_seed(0)
    return dict(hand=torch.randn(B, C, 4, 4, requires_grad=True),
                object=torch.randn(B, C, 4, 4, requires_grad=True))


def test_shapes_probabilities_and_labels():
    head = ObjectClassificationHead(in_channels=8, hidden=16, class_names=NAMES)
    out = head(_feats())
    assert out['logits'].shape == (4, 3)
    scores = head.predict(out)['obj_cls_scores']
    assert torch.allclose(scores.sum(-1), torch.ones(4))
    assert head.labels(['mug', 'ball', 'drill', None], 'cpu').tolist() == [2, 0, -1, -1]


def test_loss_reaches_both_streams_and_skips_unknown_objects():
    head = ObjectClassificationHead(in_channels=8, hidden=16, class_names=NAMES,
                                    loss_cls=dict(type='ObjectClassCELoss', loss_weight=1.0))
    feats = _feats()
    out = head(feats)
    labels = torch.tensor([0, 1, 2, -1])
    loss = head.loss(out, dict(obj_label=labels))['loss_obj_cls']
    expected = torch.nn.functional.cross_entropy(out['logits'][:3], labels[:3])
    assert loss.item() == pytest.approx(expected.item(), rel=1e-6)
    gh, go = torch.autograd.grad(loss, [feats['hand'], feats['object']])
    assert gh.abs().sum() > 0 and go.abs().sum() > 0
    # a batch of unknown objects: zero, finite, still differentiable
    none = head.loss(head(feats), dict(obj_label=torch.full((4,), -1)))['loss_obj_cls']
    assert none.item() == 0 and none.requires_grad


def test_untrained_loss_is_near_log_n_and_switches_off():
    head = ObjectClassificationHead(in_channels=8, hidden=16, class_names=NAMES,
                                    loss_cls=dict(type='ObjectClassCELoss', loss_weight=1.0))
    with torch.no_grad():
        head.fc[-1].weight.zero_()
        head.fc[-1].bias.zero_()
    loss = head.loss(head(_feats()), dict(obj_label=torch.tensor([0, 1, 2, 0])))
    assert loss['loss_obj_cls'].item() == pytest.approx(math.log(3), rel=1e-6)
    off = ObjectClassificationHead(in_channels=8, class_names=NAMES, loss_cls=None)
    assert off.loss(off(_feats()), dict(obj_label=torch.zeros(4, dtype=torch.long))) == {}


def test_needs_class_names():
    with pytest.raises(ValueError, match='class_names'):
        ObjectClassificationHead(in_channels=8)
