import numpy as np
import torch
from mmengine.structures import InstanceData

from hoverse.geometry.camera import apply_affine, get_crop_affine
from hoverse.structures import HandObjectDataSample
from hoverse.visualization import HandObjectVisualizer, render_overlay, side_view


def test_predictions_are_drawn_where_they_are_in_the_original_image():
    M = get_crop_affine(np.array([150.0, 100.0]), 60.0, 0.0, (64, 64))
    image_pts = np.full((21, 2), [150.0, 100.0]) + np.linspace(-10, 10, 21)[:, None]
    s = HandObjectDataSample(metainfo=dict(crop_affine=M, ori_shape=(200, 300)))
    s.pred_instances = InstanceData(keypoints_2d=torch.as_tensor(apply_affine(image_pts, M))[None])
    vis = HandObjectVisualizer()
    canvas = vis.add_datasample('x', np.zeros((200, 300, 3), np.uint8), s)
    ys, xs = np.nonzero(canvas.sum(-1))
    assert abs(xs.mean() - 150) < 3 and abs(ys.mean() - 100) < 3


def test_overlay_changes_only_where_the_meshes_are(mano_layer):
    v = mano_layer(torch.zeros(1, 3), torch.zeros(1, 45))['verts'][0].numpy().astype(float)
    v = v - v.mean(0) + [0, 0, 0.5]
    K = np.array([[300.0, 0, 64], [0, 300.0, 64], [0, 0, 1]])
    img = np.full((128, 128, 3), 40, np.uint8)
    out = render_overlay(img, v, mano_layer.faces.numpy(), None, np.zeros((0, 3), int), K)
    changed = np.any(out != img, -1)
    assert changed[64, 64] and not changed[0, 0] and 0.02 < changed.mean() < 0.9
    sv, _ = side_view(v, v[:1])
    assert np.allclose(sv.mean(0), v.mean(0), atol=0.05) and not np.allclose(sv, v)


def test_the_skeleton_comes_from_the_dataset_meta():
    rng = np.random.default_rng(1)
    s = HandObjectDataSample(metainfo=dict(ori_shape=(200, 200)))
    s.pred_instances = InstanceData(
        keypoints_2d=torch.as_tensor(rng.uniform(20, 180, (21, 2)))[None])
    vis = HandObjectVisualizer(name='meta_skeleton')
    drawn = lambda: int((vis.add_datasample('x', np.zeros((200, 200, 3), np.uint8), s)  # noqa
                         .sum(-1) > 0).sum())
    full = drawn()
    vis.dataset_meta = dict(skeleton=[(1, 0)])  # what the loops set from dataset.metainfo
    assert drawn() < full  # one bone instead of twenty
    vis.dataset_meta = dict(skeleton=[])
    joints_only = drawn()
    vis.dataset_meta = dict(skeleton=[(1, 0)])
    assert joints_only < drawn()
