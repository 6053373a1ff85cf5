"""Regression test of the object half's plumbing: the full model overfits a few samples,
and their symmetry-aware rotation error falls below 10 degrees."""
import numpy as np
import torch

from hoverse.evaluation.functional import symmetric_rotation_error
from hoverse.objects import ObjectLibrary
from tests.conftest import build_synthetic_model_and_batch


def _overfit(config: str, synthetic_root: str, mano_dir: str, steps: int = 100,
             framed: bool = False):
    """``(model in eval mode, its batch, loss_obj_rot at the first step)`` after ``steps``
    Adam steps on the training split's samples, read by the test pipeline (no
    augmentation: the same crops every step) with their masks; ``framed`` crops around the
    true hand and object instead (``GetHandObjectBBox``), so that a small object still
    covers enough of the crop for the coordinate map's PnP."""
    from mmengine.config import Config
    pipeline = Config.fromfile(config).test_pipeline
    pipeline[0].with_mask = True  # LoadImage: masks for the segmentation head
    if framed:
        pipeline[1] = dict(type='GetHandObjectBBox')
    model, batch, _ = build_synthetic_model_and_batch(
        config, synthetic_root, mano_dir, num=1000, loader='test_dataloader',
        ann_file='train.txt', pipeline=pipeline)
    batch = model.data_preprocessor(batch, True)
    optim = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    first = None
    for _ in range(steps):
        losses = model(**batch, mode='loss')
        if first is None:
            first = losses['loss_obj_rot'].item()
        optim.zero_grad()
        sum(losses.values()).backward()
        optim.step()
    return model.eval(), batch, first


def _rotation_errors(model, batch, synthetic_root: str, solved_only: bool = False):
    """Symmetry-aware rotation errors (degrees) of the model's predictions on ``batch``,
    fully symmetric objects left out (and, with ``solved_only``, samples PnP did not
    solve)."""
    with torch.no_grad():
        out = model(**batch, mode='predict')
    lib = ObjectLibrary(f'{synthetic_root}/models')
    errors = []
    for s in out:
        sym = lib[s.metainfo['obj_name']].symmetry
        err = symmetric_rotation_error(s.pred_instances.obj_rot[0].numpy(),
                                       s.gt_instances.obj_rot[0].numpy(), sym)
        if np.isfinite(err) and (not solved_only or bool(s.pred_instances.obj_rot_solved[0])):
            errors.append(err)
    return errors


def test_overfits_a_few_samples_to_under_10_degrees(synthetic_root, mano_dir):
    model, batch, first = _overfit('configs/hoverse_plus/hoverse_plus_r18_synthetic.py',
                                   synthetic_root, mano_dir)
    errors = _rotation_errors(model, batch, synthetic_root)
    assert len(errors) >= 4
    assert first > 0.5  # it started far away
    assert np.median(errors) < 10.0, errors


def test_coordinate_map_overfits_and_every_readout_finds_the_rotation(synthetic_root,
                                                                      mano_dir):
    """The coordinate branch and the learnt PnP on it overfit the same few samples: the
    rotations the learnt PnP gives (the config's readout and the others), the one a RANSAC
    PnP solves from the map, and the regressed one each fall below 10 degrees: targets,
    branch and both solves agree end to end."""
    model, batch, _ = _overfit('configs/hoverse_plus/hoverse_plus_r18_synthetic_long_patch.py',
                               synthetic_root, mano_dir, framed=True)
    from hoverse.models.heads.rotation_readouts import build_readout
    head = model.object_head
    assert head.readout.name == 'patch_blend'
    for readout in ('patch_blend', 'patch_spin', 'patch', 'patch_flip', 'regressed'):
        head.readout = build_readout(readout)
        errors = _rotation_errors(model, batch, synthetic_root)
        assert len(errors) >= 4
        assert np.median(errors) < 10.0, (readout, errors)
    head.readout = build_readout('pnp')
    errors = _rotation_errors(model, batch, synthetic_root, solved_only=True)
    assert len(errors) >= 4, 'PnP found no pose for most samples'
    assert np.median(errors) < 10.0, errors
