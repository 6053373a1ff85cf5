"""Regression test of the object half's plumbing: the full model overfits a few samples,
and their symmetry-aware rotation error falls below 10 degrees."""
import numpy as np
import torch

from hoverse.evaluation.functional import symmetric_rotation_error
from hoverse.objects import ObjectLibrary
from tests.conftest import build_synthetic_model_and_batch


def test_overfits_a_few_samples_to_under_10_degrees(synthetic_root, mano_dir):
    from mmengine.config import Config
    pipeline = Config.fromfile('configs/hoverse/hoverse_r18_synthetic.py').test_pipeline
    pipeline[0].with_mask = True  # LoadImage: masks for the segmentation head
    # the test pipeline (no augmentation: the same crops every step) on the training split
    model, batch, cfg = build_synthetic_model_and_batch(
        'configs/hoverse/hoverse_r18_synthetic.py', synthetic_root, mano_dir, num=1000,
        loader='test_dataloader', ann_file='train.txt', pipeline=pipeline)
    batch = model.data_preprocessor(batch, True)
    optim = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    first = None
    for step in range(150):
        losses = model(**batch, mode='loss')
        if first is None:
            first = losses['loss_obj_rot'].item()
        optim.zero_grad()
        sum(losses.values()).backward()
        optim.step()
    model.eval()
    with torch.no_grad():
        out = model(**batch, mode='predict')
    lib = ObjectLibrary(f'{synthetic_root}/models')
    errors = []
    for s in out:
        sym = lib[s.metainfo['obj_name']].symmetry
        err = symmetric_rotation_error(s.pred_instances.obj_rot[0].numpy(),
                                       s.gt_instances.obj_rot[0].numpy(), sym)
        if np.isfinite(err):
            errors.append(err)
    assert len(errors) >= 4
    assert first > 0.5  # it started far away
    assert np.median(errors) < 10.0, errors


def test_coordinate_map_overfits_and_pnp_reads_the_rotation(synthetic_root, mano_dir):
    """The coordinate branch overfits the same few samples, and the rotation PnP reads
    from its map falls below 10 degrees: targets, branch and solve agree end to end."""
    from mmengine.config import Config
    config = 'configs/hoverse/hoverse_r18_synthetic_long_coords.py'
    pipeline = Config.fromfile(config).test_pipeline
    pipeline[0].with_mask = True
    model, batch, cfg = build_synthetic_model_and_batch(
        config, synthetic_root, mano_dir, num=1000, loader='test_dataloader',
        ann_file='train.txt', pipeline=pipeline)
    batch = model.data_preprocessor(batch, True)
    optim = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    for step in range(150):
        losses = model(**batch, mode='loss')
        optim.zero_grad()
        sum(losses.values()).backward()
        optim.step()
    model.object_head.rot_from_coords = True
    model.eval()
    with torch.no_grad():
        out = model(**batch, mode='predict')
    lib = ObjectLibrary(f'{synthetic_root}/models')
    errors = []
    for s in out:
        sym = lib[s.metainfo['obj_name']].symmetry
        err = symmetric_rotation_error(s.pred_instances.obj_rot[0].numpy(),
                                       s.gt_instances.obj_rot[0].numpy(), sym)
        if np.isfinite(err) and bool(s.pred_instances.obj_rot_solved[0]):
            errors.append(err)
    assert len(errors) >= 4, 'PnP found no pose for most samples'
    assert np.median(errors) < 10.0, errors
