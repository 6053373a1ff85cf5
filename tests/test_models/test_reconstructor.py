import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from hoverse.registry import DATASETS, MODELS


@pytest.fixture(scope='module')
def model_and_batch(tmp_path_factory, mano_dir):
    from hoverse.datasets.synthesis.generate import generate_synthetic_dataset
    root = str(tmp_path_factory.mktemp('syn_model'))
    generate_synthetic_dataset(root, mano_dir, num_train=3, num_val=0, num_eval=0, seed=1,
                               workers=1, progress=False)
    init_default_scope('hoverse')
    cfg = Config.fromfile('configs/hoverse/hoverse_r18_synthetic.py')
    cfg.model.mano_head.mano.model_path = mano_dir
    cfg.model.object_models_root = f'{root}/models'
    model = MODELS.build(cfg.model)
    d = cfg.train_dataloader.dataset
    d.update(data_root=root, mano_path=mano_dir)
    ds = DATASETS.build(d)
    return model, pseudo_collate([ds[i] for i in range(3)])


def test_every_loss_reaches_the_backbone(model_and_batch):
    model, batch = model_and_batch
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
    model, batch = model_and_batch
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
