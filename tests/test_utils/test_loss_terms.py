from mmengine.config import Config
from mmengine.registry import init_default_scope

import hoverse.models  # noqa: F401
from hoverse.utils.loss_terms import format_loss_terms, loss_terms
from tests.conftest import REPO


def test_declared_terms_defaults_and_switched_off_ones():
    init_default_scope('hoverse')
    rows = loss_terms(dict(type='HandObjectReconstructor',
                           seg_head=dict(type='SegmentationHead', in_channels=8),
                           object_head=dict(type='ObjectPoseHead', loss_rot=None,
                                            loss_trans=dict(type='PointL1Loss',
                                                            loss_weight=3.0))))
    by_path = {r.path: r for r in rows}
    assert by_path['model.object_head.loss_trans'].weight == 3.0
    assert by_path['model.object_head.loss_trans'].source == 'config'
    assert by_path['model.object_head.loss_rot'].cfg is None
    seg = by_path['model.seg_head.loss_seg']  # not in the config: the head's default
    assert seg.source == 'default' and seg.cfg['type'] == 'SegmentationCELoss'
    assert by_path['model.object_head.loss_corners'].source == 'default'
    table = format_loss_terms(rows)
    assert '(off)' in table and 'SegmentationCELoss' in table


def test_every_term_of_the_quickstart_config_is_listed_with_its_weight():
    init_default_scope('hoverse')
    cfg = Config.fromfile(f'{REPO}/configs/hoverse_plus/hoverse_plus_r18_synthetic.py')
    rows = {r.path: r for r in loss_terms(cfg.model)}
    assert rows['model.mano_head.loss_joints'].weight == cfg.model.mano_head.loss_joints.loss_weight
    expected = {'loss_joints', 'loss_root', 'loss_verts', 'loss_mano', 'loss_edge',
                'loss_normal', 'loss_heatmap', 'loss_articulation', 'loss_rot', 'loss_trans',
                'loss_corners', 'loss_sdf', 'loss_contact', 'loss_seg'}
    assert expected <= {p.rsplit('.', 1)[1] for p in rows}
    assert all(r.source == 'config' for r in rows.values())  # the base declares every one
