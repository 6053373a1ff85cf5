import glob
import os.path as osp

import cv2
import numpy as np

from tests.conftest import run_tool

CFG = 'configs/hoverse/hoverse_r18_synthetic.py'


def _images(root):
    return sorted(glob.glob(osp.join(root, 'train', '*', 'rgb', '*.png')))


def test_image_demo_writes_every_file(tmp_path, synthetic_root, r18_checkpoint):
    img = _images(synthetic_root)[0]
    out = tmp_path / 'out'
    proc = run_tool(['demo/image_demo.py', img, CFG, r18_checkpoint['path'], '--bbox', '60',
                     '60', '200', '200', '--object', 'box', '--out-dir', str(out),
                     '--cfg-options', *r18_checkpoint['cli']])
    stem = osp.splitext(osp.basename(img))[0]
    for suffix in ('overlay.png', 'side.png', 'joints2d.png', 'hand.ply', 'object.obj',
                   'pred.json'):
        assert osp.getsize(out / f'{stem}_{suffix}') > 0, suffix
        assert f'{stem}_{suffix}' in proc.stdout
    import json
    assert json.load(open(out / f'{stem}_pred.json'))['hand_model'] == 'surrogate MANO'
    a, b = cv2.imread(img), cv2.imread(str(out / f'{stem}_overlay.png'))
    assert a.shape == b.shape
    inside = np.abs(a[60:200, 60:200].astype(int) - b[60:200, 60:200]).sum()
    outside = np.abs(a[:20, :20].astype(int) - b[:20, :20]).sum()
    assert inside > 0 and outside == 0


def test_image_demo_errors(tmp_path, synthetic_root, r18_checkpoint):
    img = _images(synthetic_root)[0]
    cases = [([img, CFG, str(tmp_path / 'none.pth')], 'none.pth'),
             ([str(tmp_path / 'x.png'), CFG, r18_checkpoint['path']], 'x.png'),
             ([img, CFG, r18_checkpoint['path'], '--object', 'teapot'], 'teapot')]
    for args, needle in cases:
        proc = run_tool(['demo/image_demo.py', *args, '--out-dir', str(tmp_path / 'o'),
                         '--cfg-options', *r18_checkpoint['cli']], check=False)
        assert proc.returncode != 0 and needle in proc.stderr
        assert 'Traceback' not in proc.stderr


def test_video_demo_keeps_the_frame_count(tmp_path, synthetic_root, r18_checkpoint):
    frames = [cv2.imread(p) for p in _images(synthetic_root)[:5]]
    video = str(tmp_path / 'in.mp4')
    w = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*'mp4v'), 10, frames[0].shape[1::-1])
    for f in frames:
        w.write(f)
    w.release()
    out = str(tmp_path / 'out.mp4')
    proc = run_tool(['demo/video_demo.py', video, CFG, r18_checkpoint['path'], '--out', out,
                     '--object', 'box', '--cfg-options', *r18_checkpoint['cli']])
    cap = cv2.VideoCapture(out)
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 5
    assert 'frames per second' in proc.stdout
