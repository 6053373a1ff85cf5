"""HO3D submission round trip: tools/test.py on an evaluation split -> pred.json / pred.zip."""
import json
import os.path as osp
import pickle
import zipfile

import numpy as np

from hoverse.evaluation.metrics import read_ho3d_submission
from tests.conftest import run_tool, synthetic_cfg_options, tiny_schedule

CFG = 'configs/hoverse/hoverse_r18_synthetic.py'


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
