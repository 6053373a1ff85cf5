import pytest
import torch

from hoverse.geometry import axis_angle_to_matrix, matrix_to_rot6d
from hoverse.hand_models import MANOLayer


@pytest.mark.parametrize('batch', [1, 3])
def test_output_shapes(mano_layer, batch):
    out = mano_layer(torch.zeros(batch, 3), torch.zeros(batch, 45), torch.zeros(batch, 10),
                     torch.zeros(batch, 3))
    assert out['verts'].shape == (batch, 778, 3) and out['joints'].shape == (batch, 21, 3)
    assert out['rotmats'].shape == (batch, 16, 3, 3)


def test_pose_types_agree(mano_layer):
    torch.manual_seed(0)
    go, hp = torch.randn(2, 3) * 0.5, torch.randn(2, 45) * 0.3
    ref = mano_layer(go, hp)['verts']
    R = axis_angle_to_matrix(torch.cat([go, hp], 1).view(2, 16, 3))
    rotmat = mano_layer(R[:, 0], R[:, 1:], pose_type='rotmat')['verts']
    rot6d = mano_layer(matrix_to_rot6d(R[:, 0]), matrix_to_rot6d(R[:, 1:]),
                       pose_type='rot6d')['verts']
    coeffs = hp @ mano_layer.pca_components.T  # orthonormal basis: exact with 45 comps
    pca = mano_layer(go, coeffs, pose_type='pca')['verts']
    for other in (rotmat, rot6d, pca):
        torch.testing.assert_close(other, ref, atol=1e-5, rtol=0)


def test_translation_and_root_relative(mano_dir):
    layer = MANOLayer(mano_dir, root_relative=True)
    t = torch.tensor([[0.1, -0.2, 0.5]])
    out = layer(torch.zeros(1, 3), torch.zeros(1, 45), transl=t)
    assert out['joints'][0, 0].abs().max() < 1e-7
    rest_root = layer(torch.zeros(1, 3), torch.zeros(1, 45), root_relative=False)['root']
    torch.testing.assert_close(out['root'], t + rest_root)


def test_flat_hand_mean_off_adds_mean_pose(mano_dir):
    flat = MANOLayer(mano_dir, flat_hand_mean=True)
    mean = MANOLayer(mano_dir, flat_hand_mean=False)
    zero = (torch.zeros(1, 3), torch.zeros(1, 45))
    assert not torch.allclose(flat(*zero)['verts'], mean(*zero)['verts'])
    torch.testing.assert_close(flat(zero[0], mean.pose_mean[None])['verts'],
                               mean(*zero)['verts'])


def test_gradients_reach_pose_and_shape(mano_layer):
    go = torch.zeros(2, 3, requires_grad=True)
    hp = torch.zeros(2, 45, requires_grad=True)
    betas = torch.zeros(2, 10, requires_grad=True)
    mano_layer(go, hp, betas)['joints'].square().sum().backward()
    assert go.grad.abs().sum() > 0 and hp.grad.abs().sum() > 0 and betas.grad.abs().sum() > 0


def test_bad_pose_shape_is_named(mano_layer):
    with pytest.raises(ValueError, match='axis-angle pose expects'):
        mano_layer(torch.zeros(1, 3), torch.zeros(1, 30))
    with pytest.raises(ValueError, match='pose_type'):
        mano_layer(torch.zeros(1, 3), torch.zeros(1, 45), pose_type='euler')


def test_missing_model_file_explains_how_to_make_one(tmp_path):
    with pytest.raises(FileNotFoundError, match='make_surrogate_mano'):
        MANOLayer(str(tmp_path))
