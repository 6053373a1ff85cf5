import pytest
import torch

from hoverse.geometry.rotations import axis_angle_to_matrix
from hoverse.hand_models.skinning import linear_blend_skinning, tree_levels


def test_tree_levels_group_joints_by_depth():
    parents = [-1, 0, 1, 2, 0, 4, 5]  # two chains of three below the root
    assert tree_levels(parents) == [([1, 4], [0, 0]), ([2, 5], [1, 4]), ([3, 6], [2, 5])]
    with pytest.raises(ValueError, match='joint 2 has parent 3'):
        tree_levels([-1, 0, 3, 1])


def test_skinning_matches_smplx(mano_layer):
    """Same vertices and joints as smplx's ``lbs`` for random poses and shapes."""
    from smplx.lbs import lbs
    m = mano_layer
    torch.manual_seed(1)
    rot = axis_angle_to_matrix(torch.randn(3, 16, 3))
    betas = torch.randn(3, 10) * 2
    ref_v, ref_j = lbs(betas, rot, m.v_template, m.shapedirs, m.posedirs, m.J_regressor,
                       m.parents, m.lbs_weights, pose2rot=False)
    v, j = linear_blend_skinning(betas, rot, m.v_template, m.shapedirs, m.posedirs,
                                 m.J_regressor, m.tree_levels, m.lbs_weights)
    assert (ref_v - m.v_template).abs().max() > 0.05  # posed far from the template
    torch.testing.assert_close(v, ref_v, atol=1e-6, rtol=0)
    torch.testing.assert_close(j, ref_j, atol=1e-6, rtol=0)


def test_a_single_joint_rotation_moves_only_its_chain():
    """Two-joint toy model: rotating the child joint by 90 degrees about z swings the
    vertex skinned to it about the child joint; the root's vertex stays."""
    v_template = torch.tensor([[0.0, 0, 0], [2.0, 0, 0]])
    J_regressor = torch.tensor([[1.0, 0], [0.5, 0.5]])  # joints at x=0 and x=1
    weights = torch.eye(2)
    rot = torch.eye(3).repeat(1, 2, 1, 1)
    rot[0, 1] = axis_angle_to_matrix(torch.tensor([0, 0, torch.pi / 2]))
    v, j = linear_blend_skinning(torch.zeros(1, 1), rot, v_template, torch.zeros(2, 3, 1),
                                 torch.zeros(9, 6), J_regressor, tree_levels([-1, 0]), weights)
    torch.testing.assert_close(j[0], torch.tensor([[0.0, 0, 0], [1.0, 0, 0]]))
    torch.testing.assert_close(v[0], torch.tensor([[0.0, 0, 0], [1.0, 1.0, 0]]), atol=1e-6,
                               rtol=0)


def test_skinning_under_bf16_autocast_stays_in_float32(mano_layer):
    m = mano_layer
    torch.manual_seed(2)
    rot = axis_angle_to_matrix(torch.randn(2, 16, 3))
    args = (torch.randn(2, 10), rot, m.v_template, m.shapedirs, m.posedirs, m.J_regressor,
            m.tree_levels, m.lbs_weights)
    ref_v, _ = linear_blend_skinning(*args)
    with torch.autocast(device_type='cpu', dtype=torch.bfloat16):
        v, j = linear_blend_skinning(*args)
    assert v.dtype == j.dtype == torch.float32
    torch.testing.assert_close(v, ref_v)
