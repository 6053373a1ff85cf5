import pytest
import torch

from hoverse.geometry.rotations import HALF_TURNS
from hoverse.models.heads import ObjectPoseHead
from hoverse.objects import TemplateBank
from hoverse.testing.samples import crop_camera, make_samples


def _f(feats=None, out=None, batch=1):
    """A feature dict of a 128-px crop (with the head's outputs ``out`` when given)."""
    f = dict(hand=torch.zeros(batch, 1), object=torch.zeros(batch, 1), input_size=128.0)
    f.update(feats or {})
    if out is not None:
        f['obj_out'] = out
    return f


def _fwd(head, feats):
    """The head's forward on ``feats`` (maps of a 128-px crop)."""
    return head(_f(feats, batch=len(feats['hand'])), make_samples(len(feats['hand'])))


@pytest.mark.parametrize('batch', [1, 3])
def test_output_shapes_and_rotation(batch):
    torch.manual_seed(0)
    head = ObjectPoseHead(in_channels=32, kpt_channels=16, hidden=64)
    torch.nn.init.normal_(head.regressor.mlp[-1].weight, std=0.1)  # away from identity
    feats = {'hand': torch.randn(batch, 32, 4, 4), 'object': torch.randn(batch, 32, 4, 4),
             'object_kpt_feats': torch.randn(batch, 9, 16)}
    out = _fwd(head, feats)
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
    out = _fwd(head, {'hand': torch.randn(2, 8, 2, 2), 'object': torch.randn(2, 8, 2, 2)})
    torch.testing.assert_close(out['rot'], torch.eye(3).expand(2, 3, 3), atol=0.05, rtol=0)
    torch.testing.assert_close(out['trans_rel'], torch.zeros(2, 3), atol=5e-3, rtol=0)


def test_keypoint_coordinates_of_both_branches_are_inputs():
    torch.manual_seed(0)
    head = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16, use_kpt_feats=False,
                          use_kpt_coords=True)
    feats = {'hand': torch.randn(2, 8, 2, 2), 'object': torch.randn(2, 8, 2, 2),
             'object_kpts': torch.rand(2, 9, 2) * 128, 'hand_kpts': torch.rand(2, 21, 2) * 128}
    base = _fwd(head, feats)['rot6d']
    for key in ('object_kpts', 'hand_kpts'):
        moved = _fwd(head, dict(feats, **{key: feats[key] + 8.0}))['rot6d']
        assert not torch.allclose(base, moved), key
    with pytest.raises(KeyError, match='object_kpts'):
        _fwd(head, {k: v for k, v in feats.items() if k != 'object_kpts'})


def _samples(head, bank, name, R_gt, t_gt, root):
    """One sample of object ``name`` at ``(R_gt, t_gt)`` (crop frame, relative to the hand
    root ``root``), seen by a 128-px crop camera; ``head`` reads the templates of
    ``bank``."""
    head.templates = bank
    corners = bank.batch([name], torch.device('cpu'))['corners']
    return make_samples(1, crop_camera(128.0), gt=dict(
        obj_rot=R_gt[None], obj_trans_rel=t_gt[None], obj_corners_rest=corners,
        root_cam=root[None]), meta=[dict(obj_name=name)])


def _sym_transform(bank, name):
    """One non-trivial symmetry of ``name`` (rotation, translation), model frame."""
    sym = bank.library[name].symmetry
    from hoverse.objects.object_symmetry import axis_angle_matrix
    R = torch.eye(3, dtype=torch.float64)
    if len(sym.discrete) > 1:
        R = torch.as_tensor(sym.discrete[1][:3, :3])
    if len(sym.axes):
        R = R @ torch.as_tensor(axis_angle_matrix(sym.axes[0], 1.1))
    return R.float()


@pytest.mark.parametrize('name', ['can', 'bowl', 'ball'])
def test_object_losses_are_invariant_to_the_symmetries(name, objects_dir):
    from scipy.spatial.transform import Rotation

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
    a = head.loss(_f(feats, out), _samples(head, bank, name, R_gt, t_gt, root))
    b = head.loss(_f(feats, out), _samples(head, bank, name, R_gt @ S, t_gt, root))
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

    bank = TemplateBank(objects_dir, 256)
    head = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16)
    R_gt = torch.as_tensor(Rotation.random(random_state=1).as_matrix(), dtype=torch.float32)
    half = torch.diag(torch.tensor([1.0, -1.0, -1.0]))
    t, root = torch.tensor([0.02, -0.01, 0.05]), torch.tensor([0.0, 0.0, 0.5])
    out = dict(rot=R_gt[None], trans_rel=t[None])
    a = head.loss(_f(out=out), _samples(head, bank, 'box', R_gt, t, root))
    b = head.loss(_f(out=out), _samples(head, bank, 'box', R_gt @ half, t, root))
    assert a['loss_obj_rot'] < 1e-2 and b['loss_obj_rot'] > 3.0  # a half turn away
    assert b['loss_obj_verts'] > a['loss_obj_verts']
    # without the assigner even a symmetric object's flip counts as an error
    plain = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16, symmetry=None)
    c = plain.loss(_f(out=out), _samples(plain, bank, 'can', R_gt @ half, t, root))
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
    base = _fwd(head, feats)['rot6d']
    shifted = {k: v + 8.0 if k.endswith('kpts') else v for k, v in feats.items()}
    torch.testing.assert_close(_fwd(head, shifted)['rot6d'], base)
    for key, i in (('object_kpts', 3), ('hand_kpts', 8)):
        kpts = feats[key].clone()
        kpts[:, i] += 6.0
        moved = _fwd(head, dict(feats, **{key: kpts}))['rot6d']
        assert not torch.allclose(base, moved), key
    with pytest.raises(KeyError, match='object_kpts'):
        _fwd(head, {k: v for k, v in feats.items() if k != 'object_kpts'})


def test_object_centred_grid_reads_around_the_object_centre():
    torch.manual_seed(0)
    head = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16, use_kpt_feats=False,
                          roi_grid=3, roi_extent=0.25)
    torch.nn.init.normal_(head.regressor.mlp[-1].weight, std=0.1)
    obj = torch.randn(2, 8, 16, 16)
    kpts = torch.full((2, 9, 2), 32.0)
    feats = {'hand': torch.randn(2, 8, 16, 16), 'object': obj, 'object_kpts': kpts}
    base = _fwd(head, feats)['rot6d']
    # the same global average, rearranged: only the grid features can tell them apart
    swapped = obj.clone()
    swapped[..., 2:6, 2:6], swapped[..., 10:14, 10:14] = obj[..., 10:14, 10:14], obj[..., 2:6, 2:6]
    assert not torch.allclose(_fwd(head, dict(feats, object=swapped))['rot6d'], base)
    plain = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16, use_kpt_feats=False)
    torch.testing.assert_close(_fwd(plain, dict(feats, object=swapped))['rot6d'],
                               _fwd(plain, feats)['rot6d'])
    with pytest.raises(KeyError, match='roi_grid'):
        _fwd(head, {'hand': feats['hand'], 'object': obj})
    with pytest.raises(ValueError, match='roi_extent'):
        ObjectPoseHead(in_channels=8, roi_grid=3, roi_extent=0.0)


def test_flip_hypotheses_start_unflipped_and_score_the_nearest_flip(objects_dir):
    from scipy.spatial.transform import Rotation

    torch.manual_seed(0)
    head = ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16, use_kpt_feats=False,
                          flip_hypotheses=True)
    torch.nn.init.normal_(head.regressor.mlp[-1].weight, std=0.1)
    feats = {'hand': torch.randn(3, 8, 2, 2), 'object': torch.randn(3, 8, 2, 2)}
    out = _fwd(head, feats)
    torch.testing.assert_close(out['rot'], out['rot_base'])  # zero-initialised classifier
    # the classifier's choice turns the base rotation half-way round
    torch.nn.init.normal_(head.flip_cls.weight)
    out = _fwd(head, feats)
    choice = out['flip_logits'].argmax(1)
    torch.testing.assert_close(out['rot'], out['rot_base'] @ HALF_TURNS[choice])
    # an asymmetric box regressed the wrong way round: the flipped hypothesis is scored
    bank = TemplateBank(objects_dir, 256)
    R_gt = torch.as_tensor(Rotation.random(random_state=1).as_matrix(), dtype=torch.float32)
    t, root = torch.tensor([0.02, -0.01, 0.05]), torch.tensor([0.0, 0.0, 0.5])
    samples = _samples(head, bank, 'box', R_gt, t, root)
    logits = torch.zeros(1, 4, requires_grad=True)
    for h in range(4):
        base = (R_gt @ HALF_TURNS[h])[None]  # base @ HALF_TURNS[h] is the truth
        losses = head.loss(_f(out=dict(rot_base=base, rot=base, flip_logits=logits,
                                       trans_rel=t[None])), samples)
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

    torch.manual_seed(0)
    head = _coord_head()
    feats = {'hand': torch.randn(1, 8, 16, 16), 'object': torch.randn(1, 8, 16, 16)}
    out = _fwd(head, feats)
    assert out['coords'].shape == (1, 3, 32, 32)
    assert out['coord_mask_logits'].shape == (1, 1, 32, 32)
    bank = TemplateBank(objects_dir, 256, 4096)
    R_gt = torch.as_tensor(Rotation.random(random_state=1).as_matrix(), dtype=torch.float32)
    samples = _samples(head, bank, 'box', R_gt, torch.tensor([0.02, -0.01, 0.05]),
                       torch.tensor([0.0, 0.0, 0.5]))
    losses = head.loss(_f(feats, out), samples)
    assert losses['loss_obj_coords'] > 0 and losses['loss_obj_coord_mask'] > 0
    (losses['loss_obj_coords'] + losses['loss_obj_coord_mask']).backward()
    assert head.coord_branch.net[0].weight.grad.abs().sum() > 0
    head.templates = None
    with pytest.raises(KeyError, match='object_models_root'):
        head.loss(_f(feats, out), samples)
    head.templates = TemplateBank(objects_dir, 256)  # no dense samples
    with pytest.raises(KeyError, match='num_dense_samples'):
        head.loss(_f(feats, out), samples)
    with pytest.raises(ValueError, match='coord_upsample'):
        _fwd(_coord_head(coord_upsample=4), feats)
    with pytest.raises(ValueError, match='coord_map'):
        ObjectPoseHead(in_channels=8, rot_readout='pnp')
    assert 'obj_coords' not in ObjectPoseHead(in_channels=8, hidden=16).losses


@pytest.mark.parametrize('name', ['can', 'bowl'])
def test_coordinate_losses_are_invariant_to_the_symmetries(name, objects_dir):
    from scipy.spatial.transform import Rotation

    torch.manual_seed(0)
    bank = TemplateBank(objects_dir, 256, 4096)
    head = _coord_head()
    out = _fwd(head, {'hand': torch.randn(1, 8, 16, 16), 'object': torch.randn(1, 8, 16, 16)})
    out['rot'] = torch.as_tensor(Rotation.random(random_state=2).as_matrix(),
                                 dtype=torch.float32)[None]
    R_gt = torch.as_tensor(Rotation.random(random_state=1).as_matrix(), dtype=torch.float32)
    t_gt, root = torch.tensor([0.02, -0.01, 0.05]), torch.tensor([0.0, 0.0, 0.5])
    a = head.loss(_f(out=out), _samples(head, bank, name, R_gt, t_gt, root))
    S = _sym_transform(bank, name)
    b = head.loss(_f(out=out), _samples(head, bank, name, R_gt @ S, t_gt, root))
    for k in ('loss_obj_coords', 'loss_obj_coord_mask'):
        torch.testing.assert_close(a[k], b[k], atol=1e-4, rtol=1e-3, msg=k)
    # an asymmetric object's half turn changes the targets
    half = torch.diag(torch.tensor([1.0, -1.0, -1.0]))
    c = head.loss(_f(out=out), _samples(head, bank, 'box', R_gt, t_gt, root))
    d = head.loss(_f(out=out), _samples(head, bank, 'box', R_gt @ half, t_gt, root))
    assert abs(float((c['loss_obj_coords'] - d['loss_obj_coords']).detach())) > 1e-3


def _patch_head(**kw):
    return _coord_head(patch_pnp=dict(type='PatchPnP', grid=8, extent=0.5, hidden=16), **kw)


def test_learnt_pnp_rotation_its_loss_and_readout(objects_dir):
    from scipy.spatial.transform import Rotation

    torch.manual_seed(0)
    head = _patch_head(rot_readout='patch')
    torch.nn.init.normal_(head.patch_pnp.fc[-1].weight, std=0.1)  # away from the identity
    feats = {'hand': torch.randn(1, 8, 16, 16), 'object': torch.randn(1, 8, 16, 16),
             'object_kpts': torch.full((1, 9, 2), 64.0)}
    out = _fwd(head, feats)
    R = out['patch_rot']
    torch.testing.assert_close(R @ R.transpose(1, 2), torch.eye(3)[None], atol=1e-5, rtol=0)
    assert not torch.allclose(R, out['rot'])
    # the readout reports the learnt PnP's rotation; the regressed one is still trained
    samples = make_samples(1)
    assert torch.equal(head.predict(_f(feats, out), samples)['obj_rot'], R)
    assert torch.equal(_patch_head().predict(_f(feats, out), samples)['obj_rot'], out['rot'])
    bank = TemplateBank(objects_dir, 256, 4096)
    R_gt = torch.as_tensor(Rotation.random(random_state=1).as_matrix(), dtype=torch.float32)
    samples = _samples(head, bank, 'box', R_gt, torch.tensor([0.02, -0.01, 0.05]),
                       torch.tensor([0.0, 0.0, 0.5]))
    losses = head.loss(_f(feats, out), samples)
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
        _fwd(head, {k: v for k, v in feats.items() if k != 'object_kpts'})


@pytest.mark.parametrize('name', ['can', 'bowl', 'ball'])
def test_learnt_pnp_loss_is_invariant_to_the_symmetries(name, objects_dir):
    from scipy.spatial.transform import Rotation

    bank = TemplateBank(objects_dir, 256, 4096)
    head = _patch_head()
    R_pred = torch.as_tensor(Rotation.random(random_state=2).as_matrix(), dtype=torch.float32)
    out = dict(rot=R_pred[None], patch_rot=R_pred[None], trans_rel=torch.zeros(1, 3))
    R_gt = torch.as_tensor(Rotation.random(random_state=1).as_matrix(), dtype=torch.float32)
    t_gt, root = torch.tensor([0.02, -0.01, 0.05]), torch.tensor([0.0, 0.0, 0.5])

    def patch_loss(sample_name, R):
        samples = _samples(head, bank, sample_name, R, t_gt, root)
        return head.loss(_f(out=out), samples)['loss_obj_patch_rot']
    a = patch_loss(name, R_gt)
    b = patch_loss(name, R_gt @ _sym_transform(bank, name))
    torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-4)
    assert (a == 0) if name == 'ball' else (a > 0)
    half = torch.diag(torch.tensor([1.0, -1.0, -1.0]))
    c, d = patch_loss('box', R_gt), patch_loss('box', R_gt @ half)
    assert abs(float(c - d)) > 0.1  # an asymmetric object's half turn counts


def test_residual_learnt_pnp_starts_from_the_regressed_rotation():
    torch.manual_seed(0)
    head = _coord_head(patch_pnp=dict(type='PatchPnP', grid=8, extent=0.5, hidden=16,
                                      residual=True), rot_readout='patch')
    torch.nn.init.normal_(head.regressor.mlp[-1].weight, std=0.1)  # away from the identity
    feats = {'hand': torch.randn(1, 8, 16, 16), 'object': torch.randn(1, 8, 16, 16),
             'object_kpts': torch.full((1, 9, 2), 64.0)}
    out = _fwd(head, feats)
    torch.testing.assert_close(out['patch_rot'], out['rot'])
    torch.nn.init.normal_(head.patch_pnp.fc[-1].weight, std=0.1)
    out = _fwd(head, feats)
    assert not torch.allclose(out['patch_rot'], out['rot'])
    # its loss trains the learnt PnP, not the regression it refines
    geodesic = head.losses['obj_patch_rot']
    geodesic(out['patch_rot'], torch.eye(3)[None]).backward()
    assert head.patch_pnp.fc[0].weight.grad.abs().sum() > 0
    assert head.regressor.mlp[0].weight.grad is None


def test_predict_finds_each_samples_box_and_spin_axis(objects_dir):
    """Each sample's box from its ground truth, else from its named template (mirrored with
    the sample), else unknown; the spin axis is a bowl's symmetry axis, else the longest
    side; a sample with no known object keeps the regressed rotation."""
    from hoverse.geometry.mirror import mirror_points
    head = _patch_head(rot_readout='patch_spin')
    head.templates = TemplateBank(objects_dir, 256)
    bank = head.templates
    gt_box = torch.rand(1, 8, 3)
    samples = make_samples(4, meta=[dict(obj_name='mug'), dict(obj_name='bowl'),
                                    dict(obj_name='bottle', obj_mirrored=True), {}])
    samples[0].gt_instances.obj_corners_rest = gt_box
    corners, known = head.object_boxes(samples, torch.device('cpu'))
    assert known.tolist() == [True, True, True, False]
    torch.testing.assert_close(corners[0], gt_box[0])
    bottle = bank.batch(['bottle'], torch.device('cpu'))['corners'][0]
    torch.testing.assert_close(corners[2], mirror_points(bottle))
    assert (corners[3] == 0).all()
    axes = head.spin_axes(samples, corners)
    torch.testing.assert_close(axes[1], torch.as_tensor(bank.spin_axis('bowl'),
                                                        dtype=torch.float32))
    torch.manual_seed(0)
    torch.nn.init.normal_(head.patch_pnp.fc[-1].weight, std=0.1)
    feats = {'hand': torch.randn(4, 8, 16, 16), 'object': torch.randn(4, 8, 16, 16),
             'object_kpts': torch.full((4, 9, 2), 64.0)}
    pred = head.predict(_f(feats, batch=4), samples)
    assert pred['obj_box_known'].tolist() == [True, True, True, False]
    out = _f(feats, batch=4)
    raw = head.outputs(out, samples)
    torch.testing.assert_close(pred['obj_rot'][3], raw['rot'][3])
    assert not torch.allclose(pred['obj_rot'][:3], raw['rot'][:3])
    assert pred['obj_kpts_2d'].shape == (4, 9, 2)
