import pytest
import torch

from hoverse.models.heads import ObjectPoseHead


@pytest.mark.parametrize('batch', [1, 3])
def test_output_shapes_and_rotation(batch):
    torch.manual_seed(0)
    head = ObjectPoseHead(in_channels=32, kpt_channels=16, hidden=64)
    torch.nn.init.normal_(head.regressor.mlp[-1].weight, std=0.1)  # away from identity
    feats = {'hand': torch.randn(batch, 32, 4, 4), 'object': torch.randn(batch, 32, 4, 4),
             'object_kpt_feats': torch.randn(batch, 9, 16)}
    out = head(feats)
    assert out['rot6d'].shape == (batch, 6) and out['trans_rel'].shape == (batch, 3)
    R = out['rot']
    assert R.shape == (batch, 3, 3) and R.dtype == torch.float32
    torch.testing.assert_close(R @ R.transpose(1, 2), torch.eye(3).expand_as(R), atol=1e-5,
                               rtol=0)
    torch.testing.assert_close(torch.linalg.det(R), torch.ones(batch))
    assert not torch.allclose(R, torch.eye(3).expand_as(R))
    out['trans_rel'].sum().backward()
    assert head.regressor.mlp[0].weight.grad.abs().sum() > 0


def test_starts_at_identity_and_zero_translation():
    head = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16, use_kpt_feats=False)
    out = head({'hand': torch.randn(2, 8, 2, 2), 'object': torch.randn(2, 8, 2, 2)})
    torch.testing.assert_close(out['rot'], torch.eye(3).expand(2, 3, 3), atol=0.05, rtol=0)
    torch.testing.assert_close(out['trans_rel'], torch.zeros(2, 3), atol=5e-3, rtol=0)


def test_keypoint_coordinates_of_both_branches_are_inputs():
    torch.manual_seed(0)
    head = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16, use_kpt_feats=False,
                          use_kpt_coords=True)
    feats = {'hand': torch.randn(2, 8, 2, 2), 'object': torch.randn(2, 8, 2, 2),
             'object_kpts': torch.rand(2, 9, 2) * 128, 'hand_kpts': torch.rand(2, 21, 2) * 128}
    base = head(feats, input_size=128.0)['rot6d']
    for key in ('object_kpts', 'hand_kpts'):
        moved = head(dict(feats, **{key: feats[key] + 8.0}), input_size=128.0)['rot6d']
        assert not torch.allclose(base, moved), key
    with pytest.raises(KeyError, match='object_kpts'):
        head({k: v for k, v in feats.items() if k != 'object_kpts'}, input_size=128.0)


def _targets(bank, name, R_gt, t_gt, root):
    tb = bank.batch([name], torch.device('cpu'))
    K = torch.tensor([[[300.0, 0, 64], [0, 300.0, 64], [0, 0, 1]]])
    return dict(obj_rot=R_gt[None], obj_trans_rel=t_gt[None], obj_corners_rest=tb['corners'],
                root_cam=root[None], cam_K=K, input_size=128.0, templates=tb)


def _sym_transform(bank, name):
    """One non-trivial symmetry of ``name`` (rotation, translation), model frame."""
    sym = bank.library[name].symmetry
    from hoverse.objects.symmetry import axis_angle_matrix
    R = torch.eye(3, dtype=torch.float64)
    if len(sym.discrete) > 1:
        R = torch.as_tensor(sym.discrete[1][:3, :3])
    if len(sym.axes):
        R = R @ torch.as_tensor(axis_angle_matrix(sym.axes[0], 1.1))
    return R.float()


@pytest.mark.parametrize('name', ['can', 'bowl', 'ball'])
def test_object_losses_are_invariant_to_the_symmetries(name, objects_dir):
    from scipy.spatial.transform import Rotation

    from hoverse.models.reconstructors import TemplateBank
    bank = TemplateBank(objects_dir, 256)
    head = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16,
                          codec=dict(type='SoftArgmaxHeatmap', input_size=128, heatmap_size=16))
    torch.manual_seed(0)
    R_gt = torch.as_tensor(Rotation.random(random_state=1).as_matrix(), dtype=torch.float32)
    t_gt, root = torch.tensor([0.02, -0.01, 0.05]), torch.tensor([0.0, 0.0, 0.5])
    out = dict(rot=torch.as_tensor(Rotation.random(random_state=2).as_matrix(),
                                   dtype=torch.float32)[None],
               trans_rel=torch.tensor([[0.03, 0.0, 0.04]]))
    feats = dict(object_heatmaps=torch.randn(1, 9, 16, 16), object_kpts=torch.rand(1, 9, 2) * 128)
    S = _sym_transform(bank, name)
    assert not torch.allclose(S, torch.eye(3))
    a = head.loss(out, feats, _targets(bank, name, R_gt, t_gt, root))
    b = head.loss(out, feats, _targets(bank, name, R_gt @ S, t_gt, root))
    assert set(a) == {'loss_obj_rot', 'loss_obj_trans', 'loss_obj_corners', 'loss_obj_verts',
                      'loss_obj_heatmap'}
    for k in a:
        torch.testing.assert_close(a[k], b[k], atol=2e-5, rtol=1e-4, msg=k)
    if name == 'ball':
        assert a['loss_obj_rot'] == 0  # a ball's rotation is not observable
    else:
        assert a['loss_obj_rot'] > 0


def test_an_asymmetric_object_is_not_invariant(objects_dir):
    from scipy.spatial.transform import Rotation

    from hoverse.models.reconstructors import TemplateBank
    bank = TemplateBank(objects_dir, 256)
    head = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16)
    R_gt = torch.as_tensor(Rotation.random(random_state=1).as_matrix(), dtype=torch.float32)
    half = torch.diag(torch.tensor([1.0, -1.0, -1.0]))
    t, root = torch.tensor([0.02, -0.01, 0.05]), torch.tensor([0.0, 0.0, 0.5])
    out = dict(rot=R_gt[None], trans_rel=t[None])
    a = head.loss(out, {}, _targets(bank, 'box', R_gt, t, root))
    b = head.loss(out, {}, _targets(bank, 'box', R_gt @ half, t, root))
    assert a['loss_obj_rot'] < 1e-2 and b['loss_obj_rot'] > 3.0  # a half turn away
    assert b['loss_obj_verts'] > a['loss_obj_verts']
    # without the assigner even a symmetric object's flip counts as an error
    plain = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16, symmetry=None)
    c = plain.loss(out, {}, _targets(bank, 'can', R_gt @ half, t, root))
    assert c['loss_obj_rot'] > 3.0


def test_loss_weights_come_from_the_config():
    head = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16,
                          loss_rot=dict(type='GeodesicRotationLoss', loss_weight=2.5),
                          loss_verts=None)
    assert head.losses['obj_rot'].loss_weight == 2.5 and 'obj_verts' not in head.losses


def test_keypoint_layouts_of_both_branches_are_inputs():
    torch.manual_seed(0)
    head = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16, use_kpt_feats=False,
                          use_kpt_layout=True)
    torch.nn.init.normal_(head.regressor.mlp[-1].weight, std=0.1)
    feats = {'hand': torch.randn(2, 8, 2, 2), 'object': torch.randn(2, 8, 2, 2),
             'object_kpts': torch.rand(2, 9, 2) * 128, 'hand_kpts': torch.rand(2, 21, 2) * 128}
    base = head(feats, input_size=128.0)['rot6d']
    shifted = {k: v + 8.0 if k.endswith('kpts') else v for k, v in feats.items()}
    torch.testing.assert_close(head(shifted, input_size=128.0)['rot6d'], base)
    for key, i in (('object_kpts', 3), ('hand_kpts', 8)):
        kpts = feats[key].clone()
        kpts[:, i] += 6.0
        moved = head(dict(feats, **{key: kpts}), input_size=128.0)['rot6d']
        assert not torch.allclose(base, moved), key
    with pytest.raises(KeyError, match='object_kpts'):
        head({k: v for k, v in feats.items() if k != 'object_kpts'}, input_size=128.0)


def test_object_centred_grid_reads_around_the_object_centre():
    torch.manual_seed(0)
    head = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16, use_kpt_feats=False,
                          roi_grid=3, roi_extent=0.25)
    torch.nn.init.normal_(head.regressor.mlp[-1].weight, std=0.1)
    obj = torch.randn(2, 8, 16, 16)
    kpts = torch.full((2, 9, 2), 32.0)
    feats = {'hand': torch.randn(2, 8, 16, 16), 'object': obj, 'object_kpts': kpts}
    base = head(feats, input_size=128.0)['rot6d']
    # the same global average, rearranged: only the grid features can tell them apart
    swapped = obj.clone()
    swapped[..., 2:6, 2:6], swapped[..., 10:14, 10:14] = obj[..., 10:14, 10:14], obj[..., 2:6, 2:6]
    assert not torch.allclose(head(dict(feats, object=swapped), input_size=128.0)['rot6d'], base)
    plain = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16, use_kpt_feats=False)
    torch.testing.assert_close(plain(dict(feats, object=swapped))['rot6d'], plain(feats)['rot6d'])
    with pytest.raises(KeyError, match='roi_grid'):
        head({'hand': feats['hand'], 'object': obj}, input_size=128.0)
    with pytest.raises(ValueError, match='roi_extent'):
        ObjectPoseHead(in_channels=8, roi_grid=3, roi_extent=0.0)


def test_flip_hypotheses_start_unflipped_and_score_the_nearest_flip(objects_dir):
    from scipy.spatial.transform import Rotation

    from hoverse.models.heads.object_pose_head import FLIPS
    from hoverse.models.reconstructors import TemplateBank
    torch.manual_seed(0)
    head = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16, use_kpt_feats=False,
                          flip_hypotheses=True)
    torch.nn.init.normal_(head.regressor.mlp[-1].weight, std=0.1)
    feats = {'hand': torch.randn(3, 8, 2, 2), 'object': torch.randn(3, 8, 2, 2)}
    out = head(feats)
    torch.testing.assert_close(out['rot'], out['rot_base'])  # zero-initialised classifier
    # the classifier's choice turns the base rotation half-way round
    torch.nn.init.normal_(head.flip_cls.weight)
    out = head(feats)
    choice = out['flip_logits'].argmax(1)
    torch.testing.assert_close(out['rot'], out['rot_base'] @ FLIPS[choice])
    # an asymmetric box regressed the wrong way round: the flipped hypothesis is scored
    bank = TemplateBank(objects_dir, 256)
    R_gt = torch.as_tensor(Rotation.random(random_state=1).as_matrix(), dtype=torch.float32)
    t, root = torch.tensor([0.02, -0.01, 0.05]), torch.tensor([0.0, 0.0, 0.5])
    targets = _targets(bank, 'box', R_gt, t, root)
    logits = torch.zeros(1, 4, requires_grad=True)
    for h in range(4):
        base = (R_gt @ FLIPS[h])[None]  # base @ FLIPS[h] is the truth
        losses = head.loss(dict(rot_base=base, rot=base, flip_logits=logits,
                                trans_rel=t[None]), {}, targets)
        assert losses['loss_obj_rot'] < 1e-2 and losses['loss_obj_verts'] < 1e-4, h
        torch.testing.assert_close(losses['loss_obj_flip'],
                                   torch.tensor(0.5 * torch.log(torch.tensor(4.0)).item()))
    losses['loss_obj_flip'].backward()
    assert logits.grad[0, 3] < 0 and (logits.grad[0, :3] > 0).all()  # towards the last flip
    assert 'obj_flip' not in ObjectPoseHead(in_channels=8, hidden=16).losses


def _coord_head(**kw):
    return ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16, use_kpt_feats=False,
                          coord_map=dict(type='ObjectCoordinateMap', input_size=128,
                                         heatmap_size=32), coord_hidden=8, **kw)


def test_coordinate_map_branch_outputs_losses_and_gradients(objects_dir):
    from scipy.spatial.transform import Rotation

    from hoverse.models.reconstructors import TemplateBank
    torch.manual_seed(0)
    head = _coord_head()
    feats = {'hand': torch.randn(1, 8, 16, 16), 'object': torch.randn(1, 8, 16, 16)}
    out = head(feats, input_size=128.0)
    assert out['coords'].shape == (1, 3, 32, 32)
    assert out['coord_mask_logits'].shape == (1, 1, 32, 32)
    bank = TemplateBank(objects_dir, 256, 4096)
    R_gt = torch.as_tensor(Rotation.random(random_state=1).as_matrix(), dtype=torch.float32)
    targets = _targets(bank, 'box', R_gt, torch.tensor([0.02, -0.01, 0.05]),
                       torch.tensor([0.0, 0.0, 0.5]))
    losses = head.loss(out, feats, targets)
    assert losses['loss_obj_coords'] > 0 and losses['loss_obj_coord_mask'] > 0
    (losses['loss_obj_coords'] + losses['loss_obj_coord_mask']).backward()
    assert head.coord_branch.net[0].weight.grad.abs().sum() > 0
    with pytest.raises(KeyError, match='object_models_root'):
        head.loss(out, feats, dict(targets, templates=None))
    sparse = dict(targets['templates'])
    sparse.pop('dense_samples')
    with pytest.raises(KeyError, match='num_dense_samples'):
        head.loss(out, feats, dict(targets, templates=sparse))
    with pytest.raises(ValueError, match='coord_upsample'):
        _coord_head(coord_upsample=4)(feats, input_size=128.0)
    with pytest.raises(ValueError, match='coord_map'):
        ObjectPoseHead(in_channels=8, rot_readout='pnp')
    assert 'obj_coords' not in ObjectPoseHead(in_channels=8, hidden=16).losses


@pytest.mark.parametrize('name', ['can', 'bowl'])
def test_coordinate_losses_are_invariant_to_the_symmetries(name, objects_dir):
    from scipy.spatial.transform import Rotation

    from hoverse.models.reconstructors import TemplateBank
    torch.manual_seed(0)
    bank = TemplateBank(objects_dir, 256, 4096)
    head = _coord_head()
    out = head({'hand': torch.randn(1, 8, 16, 16), 'object': torch.randn(1, 8, 16, 16)},
               input_size=128.0)
    out['rot'] = torch.as_tensor(Rotation.random(random_state=2).as_matrix(),
                                 dtype=torch.float32)[None]
    R_gt = torch.as_tensor(Rotation.random(random_state=1).as_matrix(), dtype=torch.float32)
    t_gt, root = torch.tensor([0.02, -0.01, 0.05]), torch.tensor([0.0, 0.0, 0.5])
    a = head.loss(out, {}, _targets(bank, name, R_gt, t_gt, root))
    b = head.loss(out, {}, _targets(bank, name, R_gt @ _sym_transform(bank, name), t_gt, root))
    for k in ('loss_obj_coords', 'loss_obj_coord_mask'):
        torch.testing.assert_close(a[k], b[k], atol=1e-4, rtol=1e-3, msg=k)
    # an asymmetric object's half turn changes the targets
    half = torch.diag(torch.tensor([1.0, -1.0, -1.0]))
    c = head.loss(out, {}, _targets(bank, 'box', R_gt, t_gt, root))
    d = head.loss(out, {}, _targets(bank, 'box', R_gt @ half, t_gt, root))
    assert abs(float((c['loss_obj_coords'] - d['loss_obj_coords']).detach())) > 1e-3


def _box_seen_in_its_true_map(head, objects_dir, rot):
    """``(R_gt (3, 3), targets, out)``: a box at a random rotation 0.4 m away, and head
    outputs with its true coordinate map and mask and the regressed rotation
    ``rot(R_gt) (3, 3)``."""
    from scipy.spatial.transform import Rotation

    from hoverse.models.reconstructors import TemplateBank
    bank = TemplateBank(objects_dir, 256, 8192)
    R_gt = torch.as_tensor(Rotation.random(random_state=3).as_matrix(), dtype=torch.float32)
    targets = _targets(bank, 'box', R_gt, torch.tensor([0.0, 0.0, 0.0]),
                       torch.tensor([0.0, 0.0, 0.4]))
    coords, weight, _ = head.coord_codec.encode(
        targets['templates']['dense_samples'], targets['obj_corners_rest'], R_gt[None],
        targets['root_cam'], targets['cam_K'])
    out = dict(rot=rot(R_gt)[None], trans_rel=torch.zeros(1, 3), coords=coords,
               coord_mask_logits=(weight * 20 - 10)[:, None])
    return R_gt, targets, out


def test_rotation_read_from_the_coordinate_map(objects_dir):
    from hoverse.geometry.rotations import geodesic_distance
    head = _coord_head(rot_readout='pnp')
    R_gt, targets, out = _box_seen_in_its_true_map(head, objects_dir, lambda R: torch.eye(3))
    pred = head.predict(out, {}, targets['cam_K'], targets['obj_corners_rest'])
    assert pred['obj_rot_solved'].tolist() == [True]
    assert float(geodesic_distance(pred['obj_rot'], R_gt[None])) < 0.1
    # without the camera it stays the regressed rotation
    assert torch.equal(head.predict(out, {})['obj_rot'], out['rot'])


def test_regressed_rotation_turned_the_way_the_map_says(objects_dir):
    from scipy.spatial.transform import Rotation

    from hoverse.geometry.rotations import geodesic_distance
    from hoverse.models.heads.object_pose_head import FLIPS
    head = _coord_head(rot_readout='pnp_flip')
    # the regression found the axes to 10 degrees but holds the box upside down
    tilt = torch.as_tensor(Rotation.from_rotvec([0.0, 0.0, 0.1745]).as_matrix(),
                           dtype=torch.float32)
    R_gt, targets, out = _box_seen_in_its_true_map(head, objects_dir,
                                                   lambda R: R @ FLIPS[2] @ tilt)
    R_reg = out['rot'][0]
    pred = head.predict(out, {}, targets['cam_K'], targets['obj_corners_rest'])
    assert pred['obj_rot_solved'].tolist() == [True]
    # turned, not replaced: the regressed axes' 10 degrees stay, the half turn goes
    torch.testing.assert_close(pred['obj_rot'], (R_reg @ FLIPS[2])[None])
    assert abs(float(geodesic_distance(pred['obj_rot'], R_gt[None])) - 0.1745) < 1e-3
    # where the map shows nothing, PnP falls back to the regression, which stays unturned
    unseen = dict(out, coord_mask_logits=torch.full_like(out['coord_mask_logits'], -10.0))
    kept = head.predict(unseen, {}, targets['cam_K'], targets['obj_corners_rest'])
    assert kept['obj_rot_solved'].tolist() == [False]
    assert torch.equal(kept['obj_rot'], out['rot'])
    with pytest.raises(ValueError, match="'pnp_flip'.*coord_map"):
        ObjectPoseHead(in_channels=8, rot_readout='pnp_flip')


def _patch_head(**kw):
    return _coord_head(patch_pnp=dict(type='PatchPnP', grid=8, extent=0.5, hidden=16), **kw)


def test_learnt_pnp_rotation_its_loss_and_readout(objects_dir):
    from scipy.spatial.transform import Rotation

    from hoverse.models.reconstructors import TemplateBank
    torch.manual_seed(0)
    head = _patch_head(rot_readout='patch')
    torch.nn.init.normal_(head.patch_pnp.fc[-1].weight, std=0.1)  # away from the identity
    feats = {'hand': torch.randn(1, 8, 16, 16), 'object': torch.randn(1, 8, 16, 16),
             'object_kpts': torch.full((1, 9, 2), 64.0)}
    out = head(feats, input_size=128.0)
    R = out['patch_rot']
    torch.testing.assert_close(R @ R.transpose(1, 2), torch.eye(3)[None], atol=1e-5, rtol=0)
    assert not torch.allclose(R, out['rot'])
    # the readout reports the learnt PnP's rotation; the regressed one is still trained
    assert torch.equal(head.predict(out, feats)['obj_rot'], R)
    assert torch.equal(_patch_head().predict(out, feats)['obj_rot'], out['rot'])
    bank = TemplateBank(objects_dir, 256, 4096)
    R_gt = torch.as_tensor(Rotation.random(random_state=1).as_matrix(), dtype=torch.float32)
    targets = _targets(bank, 'box', R_gt, torch.tensor([0.02, -0.01, 0.05]),
                       torch.tensor([0.0, 0.0, 0.5]))
    losses = head.loss(out, feats, targets)
    assert {'loss_obj_rot', 'loss_obj_patch_rot'} <= set(losses)
    from hoverse.geometry.rotations import geodesic_distance
    torch.testing.assert_close(losses['loss_obj_patch_rot'],
                               geodesic_distance(R, R_gt[None]).mean())
    # its loss alone trains the learnt PnP and, through the map, the coordinate branch
    losses['loss_obj_patch_rot'].backward()
    assert head.patch_pnp.convs[0].weight.grad.abs().sum() > 0
    assert head.coord_branch.net[0].weight.grad.abs().sum() > 0
    assert head.regressor.mlp[0].weight.grad is None
    with pytest.raises(KeyError, match='object_kpts'):
        head({k: v for k, v in feats.items() if k != 'object_kpts'}, input_size=128.0)


@pytest.mark.parametrize('name', ['can', 'bowl', 'ball'])
def test_learnt_pnp_loss_is_invariant_to_the_symmetries(name, objects_dir):
    from scipy.spatial.transform import Rotation

    from hoverse.models.reconstructors import TemplateBank
    bank = TemplateBank(objects_dir, 256, 4096)
    head = _patch_head()
    R_pred = torch.as_tensor(Rotation.random(random_state=2).as_matrix(), dtype=torch.float32)
    out = dict(rot=R_pred[None], patch_rot=R_pred[None], trans_rel=torch.zeros(1, 3))
    R_gt = torch.as_tensor(Rotation.random(random_state=1).as_matrix(), dtype=torch.float32)
    t_gt, root = torch.tensor([0.02, -0.01, 0.05]), torch.tensor([0.0, 0.0, 0.5])
    a = head.loss(out, {}, _targets(bank, name, R_gt, t_gt, root))['loss_obj_patch_rot']
    b = head.loss(out, {}, _targets(bank, name, R_gt @ _sym_transform(bank, name), t_gt,
                                    root))['loss_obj_patch_rot']
    torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-4)
    assert (a == 0) if name == 'ball' else (a > 0)
    half = torch.diag(torch.tensor([1.0, -1.0, -1.0]))
    c = head.loss(out, {}, _targets(bank, 'box', R_gt, t_gt, root))['loss_obj_patch_rot']
    d = head.loss(out, {}, _targets(bank, 'box', R_gt @ half, t_gt, root))['loss_obj_patch_rot']
    assert abs(float(c - d)) > 0.1  # an asymmetric object's half turn counts


def test_residual_learnt_pnp_starts_from_the_regressed_rotation():
    torch.manual_seed(0)
    head = _coord_head(patch_pnp=dict(type='PatchPnP', grid=8, extent=0.5, hidden=16,
                                      residual=True), rot_readout='patch')
    torch.nn.init.normal_(head.regressor.mlp[-1].weight, std=0.1)  # away from the identity
    feats = {'hand': torch.randn(1, 8, 16, 16), 'object': torch.randn(1, 8, 16, 16),
             'object_kpts': torch.full((1, 9, 2), 64.0)}
    out = head(feats, input_size=128.0)
    torch.testing.assert_close(out['patch_rot'], out['rot'])
    torch.nn.init.normal_(head.patch_pnp.fc[-1].weight, std=0.1)
    out = head(feats, input_size=128.0)
    assert not torch.allclose(out['patch_rot'], out['rot'])
    # its loss trains the learnt PnP, not the regression it refines
    geodesic = head.losses['obj_patch_rot']
    geodesic(out['patch_rot'], torch.eye(3)[None]).backward()
    assert head.patch_pnp.fc[0].weight.grad.abs().sum() > 0
    assert head.regressor.mlp[0].weight.grad is None


def test_regressed_rotation_turned_the_way_the_learnt_pnp_says():
    from scipy.spatial.transform import Rotation

    from hoverse.geometry.rotations import axis_angle_to_matrix
    from hoverse.models.heads.object_pose_head import FLIPS
    head = _patch_head(rot_readout='patch_flip')
    R_gt = torch.as_tensor(Rotation.random(random_state=3).as_matrix(), dtype=torch.float32)
    tilt = axis_angle_to_matrix(torch.tensor([0.0, 0.0, 0.1745]))
    # the regression holds the object upside down; the learnt PnP is 30 degrees off but
    # the right way round
    R_reg = R_gt @ FLIPS[2] @ tilt
    R_patch = R_gt @ axis_angle_to_matrix(torch.tensor([0.5, 0.0, 0.0]))
    out = dict(rot=R_reg[None], patch_rot=R_patch[None], trans_rel=torch.zeros(1, 3))
    torch.testing.assert_close(head.predict(out, {})['obj_rot'], (R_reg @ FLIPS[2])[None])
    # already the right way round: kept
    out = dict(out, rot=(R_gt @ tilt)[None])
    torch.testing.assert_close(head.predict(out, {})['obj_rot'], out['rot'])


def _bottle_sides(objects_dir, seed: int):
    """The bottle's box ``corners (1, 8, 3)``, its longest side and a side across it
    (``(3,)`` each, model frame) and a random true rotation ``(3, 3)``."""
    from scipy.spatial.transform import Rotation

    from hoverse.models.reconstructors import TemplateBank
    corners = TemplateBank(objects_dir, 256).batch(['bottle'], torch.device('cpu'))['corners']
    longest = int((corners[0].amax(0) - corners[0].amin(0)).argmax())
    R_gt = torch.as_tensor(Rotation.random(random_state=seed).as_matrix(), dtype=torch.float32)
    return corners, torch.eye(3)[longest], torch.eye(3)[(longest + 1) % 3], R_gt


def test_regressed_axis_with_the_learnt_pnps_spin(objects_dir):
    from hoverse.geometry.rotations import axis_angle_to_matrix as about, geodesic_distance
    from hoverse.models.heads.object_pose_head import FLIPS
    head = _patch_head(rot_readout='patch_spin')
    corners, long_side, across, R_gt = _bottle_sides(objects_dir, seed=6)
    # the regression: the long side 5 degrees off, spun 40 degrees, upside down; the learnt
    # PnP: the long side 25 degrees off, spun 3 degrees, the right way round
    R_reg = R_gt @ about(across * 0.087) @ about(long_side * 0.7) @ FLIPS[2]
    R_patch = R_gt @ about(across * 0.44) @ about(long_side * 0.05)
    out = dict(rot=R_reg[None], patch_rot=R_patch[None], trans_rel=torch.zeros(1, 3))
    R = head.predict(out, {}, corners=corners)['obj_rot'][0]
    # the long side where the (flipped) regression puts it, the spin about it the learnt PnP's
    torch.testing.assert_close(R @ long_side, (R_reg @ FLIPS[2]) @ long_side)
    err = float(geodesic_distance(R, R_gt))
    assert err < 0.087 + 0.05 + 0.02 < float(geodesic_distance(R_patch, R_gt)), err
    assert err < float(geodesic_distance(head.flip_towards(R_reg[None], R_patch[None])[0],
                                         R_gt))
    # without the templates' box it stays the regressed rotation
    torch.testing.assert_close(head.predict(out, {})['obj_rot'], out['rot'])


def test_blended_axis_with_the_learnt_pnps_spin(objects_dir):
    """``patch_blend`` puts the long side where the geodesic midpoint of the (flipped)
    regression and the learnt PnP puts it, and keeps the learnt PnP's spin about it;
    ``blend_weight`` 0 gives ``patch_spin`` and 1 the learnt PnP's own rotation."""
    from hoverse.geometry.rotations import axis_angle_to_matrix as about
    from hoverse.geometry.rotations import matrix_to_axis_angle
    from hoverse.models.heads.object_pose_head import FLIPS
    assert _patch_head(rot_readout='patch_blend').blend_weight == 0.25
    head = _patch_head(rot_readout='patch_blend', blend_weight=0.5)
    assert head.uses_spin_axes
    corners, long_side, across, R_gt = _bottle_sides(objects_dir, seed=8)
    R_reg = R_gt @ about(across * 0.3) @ about(long_side * 0.7) @ FLIPS[2]
    R_patch = R_gt @ about(across * -0.2) @ about(long_side * 0.05)
    out = dict(rot=R_reg[None], patch_rot=R_patch[None], trans_rel=torch.zeros(1, 3))
    R = head.predict(out, {}, corners=corners)['obj_rot'][0]
    flipped = R_reg @ FLIPS[2]
    midpoint = flipped @ about(0.5 * matrix_to_axis_angle(flipped.T @ R_patch))
    torch.testing.assert_close(R @ long_side, midpoint @ long_side, atol=1e-5, rtol=0)
    # the learnt PnP's spin: R is R_patch turned about an axis at right angles to its long side
    turn = matrix_to_axis_angle(R @ R_patch.T)
    assert abs(float(turn / turn.norm() @ (R_patch @ long_side))) < 1e-4
    assert float(turn.norm()) > 0.1  # the axis did move
    spin = head.spin_towards(R_reg[None], R_patch[None], long_side[None])
    head.blend_weight = 0.0
    torch.testing.assert_close(head.predict(out, {}, corners=corners)['obj_rot'], spin)
    head.blend_weight = 1.0
    torch.testing.assert_close(head.predict(out, {}, corners=corners)['obj_rot'],
                               R_patch[None], atol=1e-5, rtol=0)
    with pytest.raises(ValueError, match='blend_weight.*in \\[0, 1\\]'):
        _patch_head(rot_readout='patch_blend', blend_weight=1.5)
    assert not _patch_head(rot_readout='patch').uses_spin_axes


def test_spin_about_a_continuous_symmetry_axis_keeps_the_regressed_axis(objects_dir):
    """A bowl's longest side is a diameter of its rim: a spin about it would move the
    bowl's axis away from the regressed one. About its symmetry axis the spin leaves the
    symmetry-aware error of the flipped regression as it is."""
    from scipy.spatial.transform import Rotation

    from hoverse.evaluation.functional.object_errors import symmetric_rotation_error
    from hoverse.geometry.rotations import axis_angle_to_matrix as about
    from hoverse.models.heads.object_pose_head import longest_side
    from hoverse.models.reconstructors import TemplateBank
    bank = TemplateBank(objects_dir, 256)
    batch = bank.batch(['bowl'], torch.device('cpu'))
    sym_axis = bank.get('bowl', torch.device('cpu'))['sym']['axis']
    assert not torch.allclose(longest_side(batch['corners'])[0].abs(), sym_axis.abs())
    head = _patch_head(rot_readout='patch_spin')
    R_gt = torch.as_tensor(Rotation.random(random_state=2).as_matrix(), dtype=torch.float32)
    R_reg = R_gt @ about(torch.tensor([0.1, 0.05, 0.0]))
    R_patch = R_gt @ about(torch.tensor([0.0, 0.5, 0.3]))
    out = dict(rot=R_reg[None], patch_rot=R_patch[None], trans_rel=torch.zeros(1, 3))

    symmetry = bank.library['bowl'].symmetry

    def degrees(R: torch.Tensor) -> float:
        return symmetric_rotation_error(R[0].double().numpy(), R_gt.double().numpy(), symmetry)

    def error(spin_axes=None) -> float:
        return degrees(head.predict(out, {}, corners=batch['corners'],
                                    spin_axes=spin_axes)['obj_rot'])

    flipped = head.flip_towards(R_reg[None], R_patch[None])
    assert error(sym_axis[None]) == pytest.approx(degrees(flipped), abs=1e-2)
    # about the rim's diameter the bowl's axis leaves where the regression put it
    R = head.predict(out, {}, corners=batch['corners'])['obj_rot']
    assert float((R[0] @ sym_axis) @ (flipped[0] @ sym_axis)) < 0.995


def test_learnt_pnp_options_are_checked():
    with pytest.raises(ValueError, match='patch_pnp.*coord_map'):
        ObjectPoseHead(in_channels=8, patch_pnp=dict(type='PatchPnP'))
    for readout in ('patch', 'patch_flip', 'patch_spin', 'patch_blend'):
        with pytest.raises(ValueError, match=f"'{readout}'.*patch_pnp"):
            _coord_head(rot_readout=readout)
    with pytest.raises(ValueError, match='rot_readout must be one of'):
        _patch_head(rot_readout='average')
    assert 'obj_patch_rot' not in _coord_head().losses
