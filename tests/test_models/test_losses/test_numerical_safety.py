"""No NaN or inf, in losses or gradients, for degenerate inputs."""
import math

import pytest
import torch
from mmengine.dataset import pseudo_collate

from hoverse.geometry.rotations import axis_angle_to_matrix
from hoverse.registry import MODELS


def _finite(loss: torch.Tensor, *leaves: torch.Tensor) -> None:
    assert torch.isfinite(loss).all(), loss
    grads = torch.autograd.grad(loss, leaves, allow_unused=True)
    for g in grads:
        assert g is None or torch.isfinite(g).all()


@pytest.mark.parametrize('angle', [0.0, 1e-7, math.pi, math.pi - 1e-7])
def test_geodesic_loss_at_zero_and_half_turn(angle):
    loss = MODELS.build(dict(type='GeodesicRotationLoss'))
    rv = torch.tensor([[0.0, 0.0, angle]])
    pred = axis_angle_to_matrix(rv).requires_grad_()
    _finite(loss(pred, torch.eye(3)[None]), pred)


def test_point_and_heatmap_losses_with_coincident_keypoints():
    l1 = MODELS.build(dict(type='PointL1Loss'))
    pred = torch.zeros(2, 21, 3, requires_grad=True)
    _finite(l1(pred, torch.zeros(2, 21, 3)), pred)
    hm = MODELS.build(dict(type='HeatmapLoss'))
    logits = torch.zeros(2, 21, 8, 8, requires_grad=True)
    coords = torch.full((2, 21, 2), 32.0, requires_grad=True)
    gt = torch.full((2, 21, 2), 32.0)  # every keypoint on one pixel
    _finite(hm(logits, torch.zeros(2, 21, 8, 8), coords, gt, 64.0), logits, coords)
    # a target that fell outside the crop: an all-zero heatmap
    _finite(hm(logits, torch.zeros(2, 21, 8, 8), coords, gt + 1e4, 64.0), logits, coords)


def test_mesh_losses_on_a_collapsed_mesh(mano_layer):
    faces = mano_layer.faces
    verts = torch.zeros(1, 778, 3, requires_grad=True)  # every vertex at one point
    for cfg in (dict(type='EdgeLengthLoss'), dict(type='NormalConsistencyLoss')):
        _finite(MODELS.build(cfg)(verts, torch.zeros(1, 778, 3), faces), verts)


def test_physics_losses_far_from_the_object(objects_dir, mano_layer):
    from hoverse.objects import ObjectLibrary
    lib = ObjectLibrary(objects_dir)
    name = lib.names[0]
    grid = lib.sdf(name)
    samples = torch.as_tensor(lib[name].samples[:256], dtype=torch.float32)[None]
    hand = (mano_layer(torch.zeros(1, 3), torch.zeros(1, 45))['verts'] + 5.0).requires_grad_()
    R = torch.eye(3)[None].requires_grad_()
    t = torch.zeros(1, 3, requires_grad=True)
    sdf = MODELS.build(dict(type='SDFPenetrationLoss'))
    contact = MODELS.build(dict(type='ContactLoss'))
    for loss in (sdf(hand, R, t, [grid], samples, mano_layer.closed_faces),
                 contact(hand, R, t, [grid])):
        assert loss.item() == 0
        _finite(loss, hand, R, t)


def test_full_model_loss_on_degenerate_targets(synthetic_root, mano_dir):
    """Zero object rotation, all joints on the root, all 2D keypoints on one pixel."""
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from hoverse.registry import DATASETS
    init_default_scope('hoverse')
    cfg = Config.fromfile('configs/hoverse_plus/hoverse_plus_r18_synthetic.py')
    cfg.model.mano_head.mano.model_path = mano_dir
    cfg.model.object_models_root = f'{synthetic_root}/models'
    model = MODELS.build(cfg.model).train()
    d = cfg.val_dataloader.dataset
    d.update(data_root=synthetic_root, mano_path=mano_dir)
    d.pipeline[0].with_mask = True  # LoadImage: masks for the segmentation head
    ds = DATASETS.build(d)
    batch = pseudo_collate([ds[i] for i in range(2)])
    for s in batch['data_samples']:
        g = s.gt_instances
        g.obj_rot = torch.eye(3)[None]
        g.joints_3d = torch.zeros_like(g.joints_3d)
        g.keypoints_2d = torch.full_like(g.keypoints_2d, 64.0)
        g.obj_kpts_2d = torch.full_like(g.obj_kpts_2d, -1e4)  # object outside the crop
    data = model.data_preprocessor(batch, True)
    losses = model(**data, mode='loss')
    total = sum(losses.values())
    assert all(torch.isfinite(v) for v in losses.values()), losses
    total.backward()
    assert all(torch.isfinite(p.grad).all() for p in model.parameters() if p.grad is not None)
