import math

import pytest
import torch

from hoverse.models.heads import ObjectClassificationHead
from hoverse.testing.samples import make_samples

NAMES = ['ball', 'box', 'mug']


def _feats(B=4, C=8):
    torch.manual_seed(0)
    return dict(hand=torch.randn(B, C, 4, 4, requires_grad=True),
                object=torch.randn(B, C, 4, 4, requires_grad=True))


def _named(names):
    return make_samples(len(names), meta=[dict(obj_name=n) for n in names])


def test_shapes_probabilities_and_labels():
    head = ObjectClassificationHead(in_channels=8, hidden=16, class_names=NAMES)
    samples = _named(['box', 'mug', None, 'drill'])
    out = head(_feats(), samples)
    assert out['logits'].shape == (4, 3)
    scores = head.predict(_feats(), samples)['obj_cls_scores']
    assert torch.allclose(scores.sum(-1), torch.ones(4))
    assert head.labels(['mug', 'ball', 'drill', None], 'cpu').tolist() == [2, 0, -1, -1]


def test_predict_names_the_unnamed_samples_by_their_top_class():
    head = ObjectClassificationHead(in_channels=8, hidden=16, class_names=NAMES)
    samples = _named(['box', None, None, 'drill'])
    scores = head.predict(_feats(), samples)['obj_cls_scores']
    top = scores.argmax(-1).tolist()
    for b, s in enumerate(samples):
        assert s.metainfo['obj_cls_top'][0] == (NAMES[top[b]], pytest.approx(
            float(scores[b].detach().max())))
        assert len(s.metainfo['obj_cls_top']) == 3
    assert samples[0].metainfo['obj_name'] == 'box'  # a given name is kept
    assert samples[1].metainfo['obj_name'] == NAMES[top[1]]
    assert samples[1].metainfo['obj_name_source'] == 'classified'
    assert 'obj_name_source' not in samples[0].metainfo


def test_loss_reaches_both_streams_and_skips_unknown_objects():
    head = ObjectClassificationHead(in_channels=8, hidden=16, class_names=NAMES,
                                    loss_cls=dict(type='ObjectClassCELoss', loss_weight=1.0))
    feats = _feats()
    samples = _named(['ball', 'box', 'mug', 'drill'])
    loss = head.loss(feats, samples)['loss_obj_cls']
    expected = torch.nn.functional.cross_entropy(feats['cls_out']['logits'][:3],
                                                 torch.tensor([0, 1, 2]))
    assert loss.item() == pytest.approx(expected.item(), rel=1e-6)
    gh, go = torch.autograd.grad(loss, [feats['hand'], feats['object']])
    assert gh.abs().sum() > 0 and go.abs().sum() > 0
    # a batch of unknown objects: zero, finite, still differentiable
    none = head.loss(_feats(), _named(['drill'] * 4))['loss_obj_cls']
    assert none.item() == 0 and none.requires_grad


def test_untrained_loss_is_near_log_n_and_switches_off():
    head = ObjectClassificationHead(in_channels=8, hidden=16, class_names=NAMES,
                                    loss_cls=dict(type='ObjectClassCELoss', loss_weight=1.0))
    with torch.no_grad():
        head.fc[-1].weight.zero_()
        head.fc[-1].bias.zero_()
    loss = head.loss(_feats(), _named(['ball', 'box', 'mug', 'ball']))
    assert loss['loss_obj_cls'].item() == pytest.approx(math.log(3), rel=1e-6)
    off = ObjectClassificationHead(in_channels=8, class_names=NAMES, loss_cls=None)
    assert off.loss(_feats(), _named(['ball'] * 4)) == {}


def test_needs_class_names():
    with pytest.raises(ValueError, match='class_names'):
        ObjectClassificationHead(in_channels=8)
