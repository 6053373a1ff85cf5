import pytest

from hoverse.evaluation.metrics import ObjectClassMetric


def _s(name, ranking, source=None):
    s = dict(obj_name=name, obj_cls_top=[(n, 1.0 / (i + 1)) for i, n in enumerate(ranking)])
    if source:
        s['obj_name_source'] = source
    return s


def test_top1_top3_and_skips():
    m = ObjectClassMetric()
    m.process(None, [_s('mug', ['mug', 'box', 'can']),      # top-1
                     _s('box', ['mug', 'can', 'box']),      # top-3
                     _s('can', ['mug', 'box', 'ball', 'can']),  # neither
                     _s('box', ['box']),                    # top-1
                     dict(obj_name='mug'),                  # no scores: skipped
                     _s('mug', ['mug'], 'classified')])     # name from the model: skipped
    out = m.compute_metrics(m.results)
    assert out['cls_top1'] == pytest.approx(50.0)
    assert out['cls_top3'] == pytest.approx(75.0)
    assert ObjectClassMetric().compute_metrics([]) == {}
