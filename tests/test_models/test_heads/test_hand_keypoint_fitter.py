import pytest
import torch

from hoverse.geometry.camera import project_points
from hoverse.geometry.rotations import matrix_to_rot6d
from hoverse.models.heads import HandKeypointFitter, MANOHead
from hoverse.registry import MODELS
from hoverse.testing.samples import make_samples

K = torch.tensor([[300.0, 0, 64], [0, 300.0, 64], [0, 0, 1]])


@pytest.fixture(scope='module')
def mano_layer(mano_dir):
    """The root-relative layer MANOHead hands the fitter."""
    from hoverse.hand_models import MANOLayer
    return MANOLayer(mano_dir, root_relative=True)


def _rot6d(mano_layer, axis_angle: torch.Tensor) -> torch.Tensor:
    """``(B, 16, 6)`` from an axis-angle pose ``(B, 48)``."""
    rotmats = mano_layer(axis_angle[:, :3], axis_angle[:, 3:],
                         torch.zeros(len(axis_angle), 10))['rotmats']
    return matrix_to_rot6d(rotmats)


def _scene(mano_layer, batch: int = 2):
    """A true hand (pose, shape, root), its exact 2D joints, and a regression that got the
    fingers wrong: ``(truth dict, start dict, kpts (B, 21, 2))``."""
    torch.manual_seed(0)
    pose = torch.zeros(batch, 48)
    pose[:, 3:] = 0.4 * torch.randn(batch, 45)
    true6d = _rot6d(mano_layer, pose)
    betas = torch.zeros(batch, 10)
    root = torch.tensor([0.02, -0.01, 0.5]).expand(batch, 3)
    joints = mano_layer(true6d[:, 0], true6d[:, 1:], betas, pose_type='rot6d')['joints']
    kpts = project_points(root[:, None] + joints, K.expand(batch, 3, 3))
    wrong = pose.clone()
    wrong[:, 3:] = 0.0  # the flat hand: what a regressor leaning to the mean gives
    start = dict(rot6d=_rot6d(mano_layer, wrong), betas=betas.clone(), root=root.clone())
    return dict(rot6d=true6d, joints=joints), start, kpts


def test_fit_follows_the_2d_joints_and_recovers_the_fingers(mano_layer):
    truth, start, kpts = _scene(mano_layer)
    Ks = K.expand(2, 3, 3)
    fitter = HandKeypointFitter(steps=200, lr=0.02, pose_weight=1e-4, shape_weight=1e-2)
    out = fitter(mano_layer, start['rot6d'], start['betas'], start['root'], kpts, Ks)
    before = mano_layer(start['rot6d'][:, 0], start['rot6d'][:, 1:], start['betas'],
                        pose_type='rot6d')['joints']
    err = lambda j: (j - truth['joints']).norm(dim=-1).mean().item()  # noqa: E731
    assert err(out['joints']) < 0.5 * err(before)
    reproj = project_points(out['root_cam'][:, None] + out['joints'], Ks)
    assert (reproj - kpts).norm(dim=-1).mean() < 0.5  # pixels
    # shapes and the fields MANOHead reports
    assert out['rot6d'].shape == (2, 16, 6) and out['verts'].shape == (2, 778, 3)
    assert out['rotmats'].shape == (2, 16, 3, 3) and out['betas'].shape == (2, 10)
    assert not any(v.requires_grad for v in out.values())


def test_zero_steps_returns_the_regression(mano_layer):
    truth, start, kpts = _scene(mano_layer, 1)
    out = HandKeypointFitter(steps=0)(mano_layer, start['rot6d'], start['betas'],
                                      start['root'], kpts, K[None])
    torch.testing.assert_close(out['rot6d'], start['rot6d'])
    torch.testing.assert_close(out['root_cam'], start['root'])


def test_the_prior_holds_the_fit_near_the_regression(mano_layer):
    truth, start, kpts = _scene(mano_layer, 1)
    moved = []
    for weight in (1e-4, 10.0):
        out = HandKeypointFitter(steps=50, pose_weight=weight)(
            mano_layer, start['rot6d'], start['betas'], start['root'], kpts, K[None])
        moved.append((out['rot6d'] - start['rot6d']).abs().mean().item())
    assert moved[1] < 0.5 * moved[0]


def test_samples_are_fitted_independently(mano_layer):
    truth, start, kpts = _scene(mano_layer, 2)
    fitter = HandKeypointFitter(steps=20)
    both = fitter(mano_layer, start['rot6d'], start['betas'], start['root'], kpts,
                  K.expand(2, 3, 3))
    one = fitter(mano_layer, start['rot6d'][1:], start['betas'][1:], start['root'][1:],
                 kpts[1:], K[None])
    torch.testing.assert_close(both['joints'][1:], one['joints'], atol=1e-5, rtol=0)


def test_fits_inside_no_grad_and_autocast_without_touching_parameters(mano_dir):
    head = MANOHead(dict(type='MANOLayer', model_path=mano_dir), in_channels=32,
                    kpt_channels=16, hidden=64,
                    test_fit=dict(type='HandKeypointFitter', steps=5)).eval()
    torch.manual_seed(0)
    feats = {'hand': torch.randn(2, 32, 4, 4), 'hand_kpt_feats': torch.randn(2, 21, 16),
             'hand_kpts': 40 + torch.rand(2, 21, 2) * 48, 'input_size': 128.0}
    samples = make_samples(2, K)
    with torch.no_grad(), torch.autocast('cpu', dtype=torch.bfloat16):
        pred = head.predict(feats, samples)
    out = feats['hand_out']
    assert pred['joints_3d'].dtype == torch.float32
    assert not torch.allclose(pred['joints_3d'], out['joints'].float())  # it fitted
    assert all(p.grad is None for p in head.parameters())
    no_dbfam = {k: v for k, v in feats.items() if k != 'hand_kpts'}
    with pytest.raises(ValueError, match='no D-BFAM 2D joints'):
        head.predict(no_dbfam, samples)


@pytest.mark.parametrize('kwargs, match', [
    (dict(steps=-1), 'steps'), (dict(steps=2.5), 'steps'), (dict(lr=0.0), 'lr'),
    (dict(pose_weight=-1.0), 'pose_weight'), (dict(shape_weight=float('nan')), 'shape_weight')])
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MODELS.build(dict(type='HandKeypointFitter', **kwargs))


def test_mismatched_shapes_are_named(mano_layer):
    truth, start, kpts = _scene(mano_layer, 2)
    fitter = HandKeypointFitter(steps=1)
    with pytest.raises(ValueError, match=r'kpts has shape \(1, 21, 2\)'):
        fitter(mano_layer, start['rot6d'], start['betas'], start['root'], kpts[:1],
               K.expand(2, 3, 3))
    for steps in (0, 1):  # checked whether it fits or not
        with pytest.raises(ValueError, match='21 joints, kpts has 20'):
            HandKeypointFitter(steps=steps)(mano_layer, start['rot6d'], start['betas'],
                                            start['root'], kpts[:, :20], K.expand(2, 3, 3))
