import pytest
import torch

from hoverse.geometry.camera import project_points
from hoverse.models.heads import MANOHead
from hoverse.structures import HandObjectDataSample
from hoverse.testing.samples import make_samples


def _head(mano_dir, **kw):
    return MANOHead(dict(type='MANOLayer', model_path=mano_dir), in_channels=32,
                    kpt_channels=16, hidden=64, **kw).eval()


def _inputs(batch):
    """Features and the samples (their crop cameras) of a 128-px crop."""
    torch.manual_seed(0)
    feats = {'hand': torch.randn(batch, 32, 4, 4), 'hand_kpt_feats': torch.randn(batch, 21, 16),
             'hand_kpts': torch.rand(batch, 21, 2) * 128, 'input_size': 128.0}
    return feats, make_samples(batch)


def _K(samples):
    return torch.stack([torch.as_tensor(s.metainfo['cam_K']) for s in samples])


@pytest.mark.parametrize('batch', [1, 3])
def test_output_shapes(mano_dir, batch):
    feats, samples = _inputs(batch)
    out = _head(mano_dir)(feats, samples)
    shapes = dict(rot6d=(batch, 16, 6), betas=(batch, 10), rotmats=(batch, 16, 3, 3),
                  verts=(batch, 778, 3), joints=(batch, 21, 3), root_cam=(batch, 3))
    for k, s in shapes.items():
        assert out[k].shape == s and out[k].dtype == torch.float32, k
    torch.testing.assert_close(out['joints'][:, 0], torch.zeros(batch, 3))  # root-relative
    R = out['rotmats']
    torch.testing.assert_close(R @ R.transpose(-1, -2), torch.eye(3).expand_as(R),
                               atol=1e-5, rtol=0)
    head = _head(mano_dir)
    pred = head.predict(dict(feats, hand_out=out), samples)
    torch.testing.assert_close(pred['joints_3d'], out['joints'])
    torch.testing.assert_close(pred['hand_kpts_2d'], feats['hand_kpts'])  # D-BFAM's 2D joints
    no_dbfam = {k: v for k, v in feats.items() if k != 'hand_kpts'}
    assert 'hand_kpts_2d' not in head.predict(dict(no_dbfam, hand_out=out), samples)


def test_starts_at_mean_pose_and_root_lies_on_the_wrist_ray(mano_dir, mano_layer):
    feats, samples = _inputs(2)
    K = _K(samples)
    out = _head(mano_dir)(feats, samples)
    rest = mano_layer(torch.zeros(1, 3), torch.zeros(1, 45), root_relative=True)
    # the last regressor layer starts small, not zero: within a few millimetres
    torch.testing.assert_close(out['verts'], rest['verts'].expand(2, -1, -1), atol=5e-3,
                               rtol=0)
    uv = project_points(out['root_cam'][:, None], K)[:, 0]
    torch.testing.assert_close(uv, feats['hand_kpts'][:, 0], atol=1e-3, rtol=0)
    # depth code 0: f * ref_size / input_size metres
    torch.testing.assert_close(out['root_cam'][:, 2], torch.full((2,), 300 * 0.25 / 128),
                               rtol=0.05, atol=0)


def test_without_keypoint_features(mano_dir):
    feats, samples = _inputs(1)
    head = _head(mano_dir, use_kpt_feats=False)
    bare = {'hand': feats['hand'], 'input_size': 128.0}
    assert head(bare, samples)['verts'].shape == (1, 778, 3)
    with pytest.raises(KeyError, match='hand_kpt_feats'):
        _head(mano_dir)(bare, samples)
    with pytest.raises(KeyError, match="metainfo 'cam_K' is missing"):
        head(bare, [HandObjectDataSample()])


def test_building_on_the_surrogate_warns(mano_dir):
    import warnings

    import hoverse.hand_models.mano_layer as ml
    from hoverse.models.heads import MANOHead
    ml._warned_surrogate = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        MANOHead(dict(type='MANOLayer', model_path=mano_dir), in_channels=8, kpt_channels=4,
                 hidden=16)
    assert any('surrogate MANO' in str(w.message) for w in caught)


def test_keypoint_coordinates_are_an_input(mano_dir):
    feats, samples = _inputs(2)
    head = _head(mano_dir, use_kpt_coords=True)
    moved = dict(feats, hand_kpts=feats['hand_kpts'] + 10.0)
    a, b = head(feats, samples)['rot6d'], head(moved, samples)['rot6d']
    assert not torch.allclose(a, b)
    with pytest.raises(KeyError, match='hand_kpts'):
        head({k: v for k, v in feats.items() if k != 'hand_kpts'}, samples)


def test_articulation_loss_ignores_the_global_orientation(mano_dir, mano_layer):
    from hoverse.geometry.rotations import axis_angle_to_rot6d
    torch.manual_seed(1)
    B = 3
    pose, shape = torch.randn(B, 48) * 0.3, torch.randn(B, 10) * 0.5
    gt = mano_layer(pose[:, :3], pose[:, 3:], shape, root_relative=True)
    samples = make_samples(B, gt=dict(
        mano_pose=pose, mano_shape=shape, joints_3d=gt['joints'], joints_valid=torch.ones(B),
        has_mano=torch.ones(B), keypoints_2d=torch.zeros(B, 21, 2), root_cam=torch.zeros(B, 3)))
    head = _head(mano_dir, loss_joints=dict(type='PointL1Loss'), loss_root=None,
                 loss_verts=None, loss_mano=None, loss_edge=None, loss_normal=None,
                 loss_heatmap=None, loss_articulation=dict(type='PointL1Loss'))
    rot6d = axis_angle_to_rot6d(pose.view(B, 16, 3))
    wrong_orient = rot6d.clone()
    wrong_orient[:, 0] = axis_angle_to_rot6d(torch.tensor([[0.0, 2.0, 0.0]])).expand(B, 6)
    posed = mano_layer(wrong_orient[:, 0], wrong_orient[:, 1:], shape, pose_type='rot6d',
                       root_relative=True)
    out = dict(rot6d=wrong_orient, betas=shape, joints=posed['joints'])
    losses = head.loss({'hand': torch.zeros(B, 1), 'hand_out': out}, samples)
    assert losses['loss_joints'] > 1e-3  # the orientation is wrong...
    assert losses['loss_articulation'] < 1e-5  # ...the articulation is not
    bent = wrong_orient.clone()
    bent[:, 5] = axis_angle_to_rot6d(torch.tensor([[0.0, 0.0, 1.2]])).expand(B, 6)
    losses = head.loss({'hand': torch.zeros(B, 1), 'hand_out': dict(out, rot6d=bent)},
                       samples)
    assert losses['loss_articulation'] > 1e-3


def test_keypoint_layout_input_sees_the_articulation_not_the_placement(mano_dir):
    feats, samples = _inputs(2)
    head = _head(mano_dir, use_kpt_layout=True)
    torch.nn.init.normal_(head.regressor.mlp[-1].weight, std=0.1)
    placed = dict(feats, hand_kpts=feats['hand_kpts'] * 0.5 + 30.0)  # smaller, elsewhere
    torch.testing.assert_close(head(placed, samples)['rot6d'], head(feats, samples)['rot6d'])
    tip = feats['hand_kpts'].clone()
    tip[:, 8] += 6.0
    kpts = tip.requires_grad_()
    out = head(dict(feats, hand_kpts=kpts), samples)['rot6d']
    assert not torch.allclose(out, head(feats, samples)['rot6d'])
    out[:, 1:].sum().backward()
    assert kpts.grad[:, 8].abs().sum() > 0  # the layout is differentiable


def test_outputs_are_computed_once_per_batch(mano_dir):
    """The contract's shared feature dict: forward runs once, later calls (and later heads)
    read ``feats['hand_out']``."""
    from unittest import mock
    feats, samples = _inputs(2)
    head = _head(mano_dir)
    with mock.patch.object(MANOHead, 'forward', wraps=head.forward) as fwd:
        first = head.outputs(feats, samples)
        assert head.outputs(feats, samples) is first and feats['hand_out'] is first
        head.predict(feats, samples)
    assert fwd.call_count == 1


def test_fit_aims_at_a_samples_own_2d_joints_where_given(mano_dir):
    """``metainfo['hand_kpts_evidence']`` (e.g. a detector's landmarks in the crop) replaces
    D-BFAM's 2D joints for that sample only."""
    feats, samples = _inputs(2)
    head = _head(mano_dir, test_fit=dict(type='HandKeypointFitter', steps=60, lr=0.01))
    own = feats['hand_kpts'][0] * 0.5 + 20.0
    samples[0].set_metainfo(dict(hand_kpts_evidence=own.numpy()))
    aims = head.fit_evidence(feats, samples)
    torch.testing.assert_close(aims[0], own)
    torch.testing.assert_close(aims[1], feats['hand_kpts'][1])
    pred = head.predict(feats, samples)
    K = _K(samples)

    def gap(b, target):
        uv = project_points(pred['joints_3d'][b] + pred['root_cam_pred'][b], K[b])
        return float((uv - target).norm(dim=-1).mean())
    assert gap(0, own) < gap(0, feats['hand_kpts'][0])
    samples[1].set_metainfo(dict(hand_kpts_evidence=torch.zeros(5, 2).numpy()))
    with pytest.raises(ValueError, match='hand_kpts_evidence.*must be \\(21, 2\\)'):
        head.fit_evidence(feats, samples)
