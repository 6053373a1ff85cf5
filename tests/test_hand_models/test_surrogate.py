import numpy as np
import smplx
import torch
import trimesh

from hoverse.hand_models import (HO3D_TIP_VERTEX_IDS, MANO_ARRAY_SHAPES, MANOLayer,
                                 build_surrogate_mano, load_mano_pickle)


def test_surrogate_has_mano_arrays_and_shapes(mano_dir):
    data = load_mano_pickle(f'{mano_dir}/MANO_RIGHT.pkl')
    for key, shape in MANO_ARRAY_SHAPES.items():
        assert tuple(data[key].shape) == shape, key
    parents = data['kintree_table'][0]
    assert parents[0] == 4294967295 and list(parents[1:4]) == [0, 1, 2]
    np.testing.assert_allclose(data['weights'].sum(1), 1.0)
    comps = data['hands_components']
    np.testing.assert_allclose(comps @ comps.T, np.eye(45), atol=1e-8)


def test_surrogate_is_deterministic():
    a, b = build_surrogate_mano(0), build_surrogate_mano(0)
    np.testing.assert_array_equal(a['v_template'], b['v_template'])
    np.testing.assert_array_equal(a['f'], b['f'])


def test_surrogate_loads_in_smplx_directly(mano_dir):
    model = smplx.MANO(mano_dir, use_pca=False, flat_hand_mean=True)
    out = model(global_orient=torch.zeros(1, 3), hand_pose=torch.zeros(1, 45),
                betas=torch.zeros(1, 10))
    assert out.vertices.shape == (1, 778, 3) and out.joints.shape[1] == 16


def test_surrogate_mesh_closes_at_the_wrist(mano_layer):
    verts = mano_layer.v_template.numpy()
    open_mesh = trimesh.Trimesh(verts, mano_layer.faces.numpy(), process=False)
    closed = trimesh.Trimesh(verts, mano_layer.closed_faces.numpy(), process=False)
    assert not open_mesh.is_watertight
    assert closed.is_watertight and closed.is_winding_consistent and closed.volume > 0
    assert len(closed.faces) - len(open_mesh.faces) == 14  # a 16-vertex wrist opening


def test_flat_hand_and_fist(mano_layer):
    flat = mano_layer(torch.zeros(1, 3), torch.zeros(1, 45))
    fist = mano_layer(torch.zeros(1, 3), 2.0 * mano_layer.pca_components[:1])
    tip_move = (fist['joints'][0, 16:] - flat['joints'][0, 16:]).norm(dim=-1)
    assert (tip_move > 0.03).all(), tip_move
    assert (fist['joints'][0, 0] - flat['joints'][0, 0]).norm() < 1e-3


def test_fingertip_joints_are_the_claimed_vertices(mano_layer):
    out = mano_layer(torch.zeros(2, 3), torch.randn(2, 45) * 0.3)
    torch.testing.assert_close(out['joints'][:, 16:], out['verts'][:, list(HO3D_TIP_VERTEX_IDS)])
    # each tip vertex is the farthest point of its finger from the wrist in the rest pose
    v = mano_layer.v_template
    for tip, mcp in zip(HO3D_TIP_VERTEX_IDS, (13, 1, 4, 10, 7)):
        finger = mano_layer.lbs_weights[:, mcp:mcp + 3].sum(1) > 0.99
        dist = (v[finger] - v[0:1]).norm(dim=-1)
        assert torch.isclose((v[tip] - v[0]).norm(), dist.max())


def test_bending_one_joint_moves_only_its_finger(mano_layer):
    pose = torch.zeros(1, 45)
    pose[0, 3 * (5 - 1) + 2] = -1.2  # middle PIP (joint 5) about z
    flat = mano_layer(torch.zeros(1, 3), torch.zeros(1, 45))['joints'][0]
    bent = mano_layer(torch.zeros(1, 3), pose)['joints'][0]
    moved = ((bent - flat).norm(dim=-1) > 1e-4).nonzero().flatten().tolist()
    assert moved == [6, 18]  # middle DIP and middle tip


def test_layer_accepts_real_file_path(mano_dir):
    layer = MANOLayer(f'{mano_dir}/MANO_RIGHT.pkl')
    assert layer.is_surrogate and layer.num_verts == 778
