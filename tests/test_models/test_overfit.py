"""Regression test of the object half's plumbing: the full model overfits a few samples,
and their symmetry-aware rotation error falls below 10 degrees."""
import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from hoverse.evaluation.functional import symmetric_rotation_error
from hoverse.objects import ObjectLibrary
from hoverse.registry import DATASETS, MODELS


def test_overfits_a_few_samples_to_under_10_degrees(synthetic_root, mano_dir):
    init_default_scope('hoverse')
    cfg = Config.fromfile('configs/hoverse/hoverse_r18_synthetic.py')
    cfg.model.mano_head.mano.model_path = mano_dir
    cfg.model.object_models_root = f'{synthetic_root}/models'
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    d = cfg.test_dataloader.dataset  # no augmentation: the same crops every step
    d.update(data_root=synthetic_root, mano_path=mano_dir, ann_file='train.txt')
    d.pipeline[0].with_mask = True  # LoadImage: masks for the segmentation head
    ds = DATASETS.build(d)
    batch = model.data_preprocessor(pseudo_collate([ds[i] for i in range(len(ds))]), True)
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
