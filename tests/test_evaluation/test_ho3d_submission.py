"""HO3D submission round trip: tools/test.py on an evaluation split -> pred.json / pred.zip."""
import json
import os.path as osp
import pickle
import zipfile

import numpy as np

from hoverse.evaluation.metrics import read_ho3d_submission
from tests.conftest import run_tool, synthetic_cfg_options, tiny_schedule

CFG = 'configs/hoverse_plus/hoverse_plus_r18_synthetic.py'


def test_submission_order_frame_and_joint_order(tmp_path, synthetic_root, mano_dir):
    run_tool(['tools/train.py', CFG, '--work-dir', str(tmp_path / 'w'), '--cfg-options',
              *synthetic_cfg_options(synthetic_root, mano_dir), *tiny_schedule(2),
              'train_cfg.val_interval=10'], timeout=600)
    ckpt = tmp_path / 'w' / 'iter_2.pth'
    sub = tmp_path / 'submission'
    opts = synthetic_cfg_options(synthetic_root, mano_dir) + [
        'test_dataloader.dataset.split=evaluation',
        'test_dataloader.dataset.ann_file=evaluation.txt',
        'test_evaluator.0.result_format=ho3d', 'test_evaluator.0.format_only=True',
        f'test_evaluator.0.outfile_prefix={sub}']
    run_tool(['tools/test.py', CFG, str(ckpt), '--allow-new-keys', '--work-dir',
              str(tmp_path / 't'), '--out',
              str(tmp_path / 'preds.pkl'), '--cfg-options', *opts], timeout=600)
    xyz, verts = read_ho3d_submission(str(sub / 'pred.json'))
    with zipfile.ZipFile(sub / 'pred.zip') as z:
        assert z.namelist() == ['pred.json']
    xyz_zip, _ = read_ho3d_submission(str(sub / 'pred.zip'))
    np.testing.assert_array_equal(xyz, xyz_zip)
    ids = open(osp.join(synthetic_root, 'evaluation.txt')).read().split()
    assert xyz.shape == (len(ids), 21, 3) and verts.shape == (len(ids), 778, 3)
    # order and frame: the evaluation metas give the root joint, and predictions are placed
    # at it, so each prediction's wrist equals the hidden ground truth's (OpenGL frame)
    gt = np.array(json.load(open(osp.join(synthetic_root, 'evaluation_xyz.json'))))
    np.testing.assert_allclose(xyz[:, 0], gt[:, 0], atol=1e-5)
    assert (xyz[..., 2] < 0).all()  # in front of an OpenGL camera
    # joint order: HO3D's order is hoverse's canonical one; the dumped predictions
    # (OpenCV frame) map onto the file by the y/z flip alone, sample by sample
    with open(tmp_path / 'preds.pkl', 'rb') as f:
        dumped = pickle.load(f)
    paths = [d['img_path'] for d in dumped]
    assert [osp.join(*p.split(osp.sep)[-3:-2]) + '/' + osp.basename(p)[:-4]
            for p in paths] == ids
    for d, x in zip(dumped, xyz):
        cv = d['pred_instances']['joints_cam'][0].numpy()
        np.testing.assert_allclose(x, cv * [1, -1, -1], atol=1e-5)
    proc = run_tool(['tools/analysis_tools/eval_ho3d.py', synthetic_root,
                     str(sub / 'pred.json')])
    assert 'xyz_procrustes_al_mean3d' in proc.stdout


def test_ho3d_config_writes_a_submission_for_the_evaluation_split(
        tmp_path, mano_dir, objects_dir):
    """The paper config (r50) on an HO3D-format evaluation split: pred.json in the work
    dir's results, no hand scores (hidden), the object's from the evaluation metas."""
    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from hoverse.registry import MODELS
    from hoverse.testing import write_ho3d_fixture
    root = str(tmp_path / 'HO3D_v2')
    write_ho3d_fixture(root, mano_dir, objects_dir)
    ids = open(osp.join(root, 'evaluation.txt')).read().split()
    cfg_path = 'configs/hoverse/hoverse_r50_ho3dv2.py'
    cfg = Config.fromfile(cfg_path)
    cfg.model.mano_head.mano.model_path = mano_dir
    cfg.model.object_models_root = None
    cfg.model.backbone.init_cfg = None
    init_default_scope('hoverse')
    ckpt = tmp_path / 'r50.pth'
    torch.save({'state_dict': MODELS.build(cfg.model).state_dict(), 'meta': {}}, ckpt)
    opts = [f'test_dataloader.dataset.data_root={root}',
            f'test_dataloader.dataset.mano_path={mano_dir}',
            f'test_dataloader.dataset.models_root={objects_dir}',
            'test_dataloader.num_workers=0', 'test_dataloader.persistent_workers=False',
            'test_dataloader.batch_size=2', f'model.mano_head.mano.model_path={mano_dir}',
            'model.object_models_root=None', 'model.backbone.init_cfg=None',
            f'test_evaluator.1.models_root={objects_dir}',
            f'test_evaluator.2.models_root={objects_dir}', f'test_evaluator.2.mano_path={mano_dir}']
    work = tmp_path / 'w'
    proc = run_tool(['tools/test.py', cfg_path, str(ckpt), '--work-dir', str(work),
                     '--cfg-options', *opts], timeout=600)
    xyz, verts = read_ho3d_submission(str(work / 'results' / 'pred.zip'))
    assert len(ids) == 2 and xyz.shape == (2, 21, 3) and verts.shape == (2, 778, 3)
    assert 'HO3D submission' in proc.stdout + proc.stderr
    import json
    scores = json.load(open(work / 'scores.json'))
    assert 'object/center_error' in scores and not any(k.startswith('hand/') for k in scores)
    assert scores['meta/use_gt_root'] is True
