from unittest import mock

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from hoverse.registry import DATASETS, MODELS


@pytest.fixture(scope='module')
def model_and_batch(tmp_path_factory, mano_dir):
    from hoverse.synthesis.generate import generate_synthetic_dataset
    root = str(tmp_path_factory.mktemp('syn_model'))
    generate_synthetic_dataset(root, mano_dir, num_train=3, num_val=0, num_eval=0, num_test=0,
                               seed=1, workers=1, progress=False)
    init_default_scope('hoverse')
    cfg = Config.fromfile('configs/hoverse_plus/hoverse_plus_r18_synthetic.py')
    cfg.model.mano_head.mano.model_path = mano_dir
    cfg.model.object_models_root = f'{root}/models'
    model = MODELS.build(cfg.model)
    d = cfg.train_dataloader.dataset
    d.update(data_root=root, mano_path=mano_dir)
    ds = DATASETS.build(d)
    return model, pseudo_collate([ds[i] for i in range(3)]), cfg


def test_stride_4_heatmaps_train_end_to_end(model_and_batch):
    """D-BFAM's upsampled heatmaps meet the heads' targets through the one model codec."""
    _, batch, cfg = model_and_batch
    model = MODELS.build(dict(cfg.model, dbfam=dict(cfg.model.dbfam, heatmap_upsample=2),
                              codec=dict(cfg.model.codec, heatmap_size=32))).train()
    data = model.data_preprocessor(batch, True)
    feats = model.extract_feat(data['inputs'])
    assert feats['hand_heatmaps'].shape[-2:] == feats['object_heatmaps'].shape[-2:] == (32, 32)
    losses = model(**data, mode='loss')
    for name in ('loss_hand_heatmap', 'loss_obj_heatmap'):
        assert torch.isfinite(losses[name]) and losses[name] > 0
    losses['loss_hand_heatmap'].backward()
    assert model.dbfam.hand.heatmap[3].weight.grad.abs().sum() > 0  # the transposed conv


def test_the_stride_4_skip_trains_end_to_end(model_and_batch):
    """The backbone's stride-4 maps reach D-BFAM's heatmaps through config alone."""
    _, batch, cfg = model_and_batch
    model = MODELS.build(dict(
        cfg.model, backbone=dict(cfg.model.backbone, fine_features=True),
        dbfam=dict(cfg.model.dbfam, heatmap_upsample=2, fine_channels=64),
        codec=dict(cfg.model.codec, heatmap_size=32))).train()
    data = model.data_preprocessor(batch, True)
    losses = model(**data, mode='loss')
    assert torch.isfinite(losses['loss_hand_heatmap'])
    losses['loss_hand_heatmap'].backward()
    assert model.dbfam.hand.fine_lateral.weight.grad.abs().sum() > 0
    assert model.backbone.layer1[0].conv1.weight.grad.abs().sum() > 0


def test_object_head_options_train_end_to_end(model_and_batch):
    """The object-centred lattice and the flip hypotheses, switched on from config."""
    _, batch, cfg = model_and_batch
    model = MODELS.build(dict(cfg.model, object_head=dict(
        cfg.model.object_head, roi_grid=4, roi_extent=0.5, flip_hypotheses=True))).train()
    data = model.data_preprocessor(batch, True)
    losses = model(**data, mode='loss')
    assert torch.isfinite(losses['loss_obj_flip']) and losses['loss_obj_flip'] > 0
    losses['loss_obj_rot'].backward()
    assert model.object_head.roi_proj[0].weight.grad.abs().sum() > 0
    model.eval()
    with torch.no_grad():
        pred = model(**model.data_preprocessor(batch, False), mode='predict')
    R = pred[0].pred_instances.obj_rot_cam[0]
    torch.testing.assert_close(R @ R.T, torch.eye(3), atol=1e-4, rtol=0)


def test_coordinate_map_trains_and_its_rotation_reaches_the_camera_frame(model_and_batch):
    """The coordinate branch from config: its losses reach the object stream, and with
    the PnP readout the camera-frame rotation is the one the head reports."""
    from hoverse.geometry.camera import crop_rotation_to_camera
    _, batch, cfg = model_and_batch
    head = dict(cfg.model.object_head, rot_readout='pnp',
                coord_map=dict(type='ObjectCoordinateMap', input_size=128, heatmap_size=32))
    model = MODELS.build(dict(cfg.model, object_head=head)).train()
    data = model.data_preprocessor(batch, True)
    losses = model(**data, mode='loss')
    assert losses['loss_obj_coords'] > 0 and losses['loss_obj_coord_mask'] > 0
    w = model.backbone.streams[1].layer4[0].conv1.weight
    assert torch.autograd.grad(losses['loss_obj_coords'], w)[0].abs().sum() > 0
    with pytest.raises(ValueError, match='coord_map.input_size'):
        MODELS.build(dict(cfg.model, object_head=dict(
            head, coord_map=dict(head['coord_map'], input_size=256))))
    model.eval()
    with torch.no_grad():  # every cell called object: PnP runs on whatever the map says
        model.object_head.coord_branch.net[-1].bias[3] = 5.0
    with torch.no_grad():
        pred = model(**model.data_preprocessor(batch, False), mode='predict')
    for s in pred:
        p = s.pred_instances
        assert p.obj_rot_solved.shape == (1,) and p.obj_rot_solved.dtype == torch.bool
        torch.testing.assert_close(p.obj_rot_cam[0], crop_rotation_to_camera(
            p.obj_rot[0], s.metainfo['cam_rot']).to(p.obj_rot_cam.dtype))


def test_every_loss_reaches_the_backbone(model_and_batch):
    model, batch, _ = model_and_batch
    model.train()
    data = model.data_preprocessor(batch, True)
    losses = model(**data, mode='loss')
    assert {'loss_joints', 'loss_verts', 'loss_sdf', 'loss_contact', 'loss_obj_rot',
            'loss_hand_heatmap'} <= set(losses)
    w = model.backbone.streams[0].layer4[0].conv1.weight
    w_obj = model.backbone.streams[1].layer4[0].conv1.weight
    for name, value in losses.items():
        if value.item() == 0:  # e.g. contact with nothing in range: no gradient to check
            continue
        gh, go = torch.autograd.grad(value, [w, w_obj], retain_graph=True, allow_unused=True)
        got = [g for g in (gh, go) if g is not None and g.abs().sum() > 0]
        assert got, f'{name} does not reach the backbone'
        assert torch.isfinite(value)


def test_predict_outputs_camera_frame(model_and_batch):
    model, batch, _ = model_and_batch
    model.eval()
    with torch.no_grad():
        out = model(**model.data_preprocessor(batch), mode='predict')
    assert len(out) == 3
    p = out[0].pred_instances
    assert p.joints_cam.shape == (1, 21, 3) and p.verts_cam.shape == (1, 778, 3)
    assert out[0].metainfo['root_source'] == 'gt'
    root = out[0].gt_instances.root_cam[0]
    rz = torch.as_tensor(out[0].metainfo['cam_rot'])
    torch.testing.assert_close(p.joints_cam[0, 0], rz.T @ root)


def test_component_configs_come_from_the_dataset_description(tmp_path):
    from hoverse.datasets.metainfo import HAND_OBJECT_INFO
    from hoverse.models.reconstructors.component_configs import fill_from_dataset_info
    from hoverse.utils.dataset_info import parse_dataset_info
    meta = parse_dataset_info(dict(from_file=HAND_OBJECT_INFO))
    dbfam, mano, obj, seg = fill_from_dataset_info(
        meta, dict(type='DBFAM'), dict(type='MANOHead'), dict(type='ObjectPoseHead', num_kpts=9),
        dict(type='SegmentationHead'))
    assert dbfam['hand_skeleton'] == meta['skeleton'] and dbfam['num_object_kpts'] == 9
    assert mano['num_joints'] == 21 and obj['num_hand_kpts'] == 21
    assert seg['num_classes'] == 3 and obj['mask_object_label'] == 2
    own = fill_from_dataset_info(meta, dict(type='DBFAM', hand_skeleton=[(1, 0)]), {}, {},
                                 None)[0]
    assert own['hand_skeleton'] == [(1, 0)]  # a component's own argument wins
    path = tmp_path / 'sixteen.py'
    path.write_text(open(HAND_OBJECT_INFO).read() +
                    "\ndataset_info['joint_names'] = dataset_info['joint_names'][:16]"
                    "\ndataset_info['skeleton'] = dataset_info['skeleton'][:15]\n")
    with pytest.raises(ValueError, match='16 hand joints; the MANO hand model gives 21'):
        fill_from_dataset_info(parse_dataset_info(dict(from_file=str(path))), None, {}, {},
                               None)
    path.write_text(open(HAND_OBJECT_INFO).read() +
                    "\ndataset_info['seg_classes'] = ['background', 'object', 'hand', 'arm']\n")
    _, _, obj, seg = fill_from_dataset_info(parse_dataset_info(dict(from_file=str(path))),
                                            None, {}, {}, dict(type='SegmentationHead'))
    assert obj['mask_object_label'] == 1 and seg['num_classes'] == 4


def test_compiled_network_matches_eager(model_and_batch):
    """``compile`` wraps the network modules in place: the same keys, the same losses and
    gradients as eager (``aot_eager`` traces forward and backward like inductor, without
    its code generation)."""
    _, batch, cfg = model_and_batch
    torch.manual_seed(0)
    eager = MODELS.build(cfg.model).train()
    compiled = MODELS.build(dict(cfg.model, compile=dict(backend='aot_eager'))).train()
    assert list(compiled.state_dict()) == list(eager.state_dict())
    for name in ('backbone', 'dbfam', 'cfsm', 'mano_head', 'object_head'):
        assert getattr(compiled, name)._compiled_call_impl is not None, name
        assert getattr(eager, name)._compiled_call_impl is None, name
    compiled.load_state_dict(eager.state_dict())
    data = eager.data_preprocessor(batch, True)
    totals, grads = [], []
    for model in (eager, compiled):
        total = sum(model(**data, mode='loss').values())
        weight = model.backbone.streams[0].layer4[0].conv1.weight
        grads.append(torch.autograd.grad(total, weight)[0])
        totals.append(total.detach())
    torch.testing.assert_close(totals[1], totals[0], rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(grads[1], grads[0], rtol=1e-3, atol=1e-5)


def test_masks_arrive_as_8_bit_and_reach_the_losses_as_labels(model_and_batch):
    model, batch, _ = model_and_batch
    assert all(s.gt_instances.mask.dtype == torch.uint8 for s in batch['data_samples'])
    data = model.data_preprocessor(batch, True)
    feats = model.extract_feat(data['inputs'])
    targets = model.object_head.targets(feats, data['data_samples'])
    assert targets['mask'].dtype == torch.int64 and targets['mask'].shape[0] == 3
    assert set(targets['mask'].unique().tolist()) <= {0, 1, 2}
    assert (targets['mask'] == 2).any()  # the object is seen


def test_spin_axes_follow_the_templates_symmetry_and_the_mirror(model_and_batch):
    """The spin axis is a bowl's or a can's symmetry axis (where a spin changes nothing),
    every other object's longest box side; a mirrored (left-hand) template's is
    mirrored; an object the model cannot name has none."""
    from hoverse.geometry.boxes import longest_box_axis
    model, _, _ = model_and_batch
    bank = model.templates
    for name in ('bowl', 'can', 'bottle', 'box', 'banana'):
        t = bank.library[name]
        expected = t.symmetry.axes[0] if len(t.symmetry.axes) else longest_box_axis(t.corners)
        np.testing.assert_allclose(bank.spin_axis(name), expected)
    assert not np.allclose(bank.spin_axis('bowl'), longest_box_axis(bank.library['bowl'].corners))
    assert bank.spin_axis(None) is None and bank.spin_axis('teapot') is None
    bowl = bank.library['bowl']
    with mock.patch.object(bowl.symmetry, 'axes', np.array([[0.6, 0.8, 0.0]])):
        np.testing.assert_allclose(bank.spin_axis('bowl', mirrored=True), [-0.6, 0.8, 0.0])
        np.testing.assert_allclose(bank.spin_axis('bowl'), [0.6, 0.8, 0.0])


def test_spin_axes_are_built_only_for_a_readout_that_takes_a_spin(model_and_batch):
    """The object head builds each sample's spin axis only where its readout reads one
    (``uses_spin_axes``)."""
    from hoverse.models.heads import ObjectPoseHead
    model, batch, _ = model_and_batch
    model.eval()
    data = model.data_preprocessor(batch, False)
    assert not model.object_head.readout.uses_spin_axes
    with mock.patch.object(ObjectPoseHead, 'spin_axes', autospec=True,
                           side_effect=ObjectPoseHead.spin_axes) as spy, torch.no_grad():
        model(**data, mode='predict')
        assert spy.call_count == 0
        with mock.patch.object(model.object_head.readout, 'uses_spin_axes', True):
            model(**data, mode='predict')
        assert spy.call_count == 1


def test_an_unnamed_object_is_classified_before_its_box_is_read(model_and_batch, mano_dir):
    """The long learnt-PnP config with no object given: the classifier names each object
    first, and every sample's readout and projected box use that object's template (a
    sample without a name no longer sends its whole batch back to the regressed
    rotation, nor loses ``obj_corners_2d``)."""
    from mmengine.config import Config

    from hoverse.structures import HandObjectDataSample
    _, batch, cfg = model_and_batch
    long_patch = Config.fromfile('configs/hoverse_plus/hoverse_plus_r18_synthetic_long_patch.py')
    long_patch.model.mano_head.mano.model_path = mano_dir
    long_patch.model.mano_head.test_fit = None
    long_patch.model.object_models_root = cfg.model.object_models_root
    torch.manual_seed(0)
    model = MODELS.build(long_patch.model).eval()
    torch.nn.init.normal_(model.object_head.patch_pnp.fc[-1].weight, std=0.1)
    data = model.data_preprocessor(batch, False)
    # the crops as the demo gives them: the camera, no ground truth, no object name
    bare = [HandObjectDataSample(metainfo=dict(cam_K=s.metainfo['cam_K'],
                                               cam_rot=s.metainfo['cam_rot']))
            for s in data['data_samples']]
    bare[0].set_metainfo(dict(obj_name='mug'))  # one named, the others not
    with torch.no_grad():
        out = model(data['inputs'], bare, mode='predict')
        raw = model(data['inputs'], bare, mode='tensor')
    for s in out:
        assert s.metainfo['obj_name'] in model.cls_head.class_names
        p = s.pred_instances
        assert p.obj_corners_2d.shape == (1, 8, 2)
        corners = model.templates.batch([s.metainfo['obj_name']], torch.device('cpu'))[
            'corners'][0]
        torch.testing.assert_close(p.obj_corners_3d[0] - p.obj_trans_rel[0],
                                   corners @ p.obj_rot[0].T)
    sources = [s.metainfo.get('obj_name_source') for s in out]
    assert sources == [None, 'classified', 'classified']
    # the learnt PnP's spin readout, not the regressed rotation, for every sample
    assert not torch.allclose(torch.cat([s.pred_instances.obj_rot for s in out]),
                              raw['obj_rot'])


def test_the_fitted_hand_is_the_one_reported(model_and_batch):
    """With ``mano_head.test_fit`` the results (camera frame, projected joints, predicted
    root) are the fitted hand's: its projected joints land nearer D-BFAM's 2D joints."""
    import copy

    from hoverse.models.heads import HandKeypointFitter
    model, batch, _ = model_and_batch
    model.eval()
    gap = {}
    saved = model.mano_head.test_fit, model.test_cfg['use_gt_root']
    model.test_cfg['use_gt_root'] = False  # place the hand at its own (fitted) root
    try:
        for name, fitter in (('regressed', None), ('fitted', HandKeypointFitter(steps=30))):
            model.mano_head.test_fit = fitter
            with torch.no_grad():
                out = model(**model.data_preprocessor(copy.deepcopy(batch)), mode='predict')
            p = [s.pred_instances for s in out]
            assert all(s.metainfo['root_source'] == 'pred' for s in out)
            gap[name] = np.mean([(q.keypoints_2d - q.hand_kpts_2d).norm(dim=-1).mean().item()
                                 for q in p])
    finally:
        model.mano_head.test_fit, model.test_cfg['use_gt_root'] = saved
    assert gap['fitted'] < 0.5 * gap['regressed']
