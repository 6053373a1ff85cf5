import glob
import os.path as osp

import cv2
import numpy as np

from tests.conftest import load_script, run_tool

CFG = 'configs/hoverse_plus/hoverse_plus_r18_synthetic.py'


def _images(root):
    return sorted(glob.glob(osp.join(root, 'train', '*', 'rgb', '*.png')))


def test_image_demo_writes_every_file(tmp_path, synthetic_root, r18_checkpoint):
    img = _images(synthetic_root)[0]
    out = tmp_path / 'out'
    out_json = tmp_path / 'frames.jsonl'
    proc = run_tool(['demo/image_demo.py', img, CFG, r18_checkpoint['path'], '--bbox', '60',
                     '60', '200', '200', '--object', 'box', '--out-dir', str(out),
                     '--out-json', str(out_json), '--export', 'glb', '--physical-fit',
                     '--cfg-options', *r18_checkpoint['cli']])
    stem = osp.splitext(osp.basename(img))[0]
    for suffix in ('overlay.png', 'side.png', 'joints2d.png', 'hand.ply', 'object.obj',
                   'pred.json', 'scene.glb'):
        assert osp.getsize(out / f'{stem}_{suffix}') > 0, suffix
        assert f'{stem}_{suffix}' in proc.stdout
    import json
    pred = json.load(open(out / f'{stem}_pred.json'))
    assert pred['hand_model'] == 'surrogate MANO' and pred['camera_source'] == 'default'
    assert set(pred['physical_fit']) == {'penetration_mm_before', 'penetration_mm_after',
                                         'contact_gap_mm_before', 'contact_gap_mm_after'}
    assert 'physical fit: deepest hand vertex' in proc.stdout
    lines = out_json.read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0]) == pred  # the video demo's format
    assert pred['box_source'] == 'given' and pred['hand_object_box'] == [60, 60, 200, 200]
    assert np.asarray(pred['joints_cam']).shape == (21, 3)
    # the scene: the hand and the object where the JSON and the meshes put them
    import trimesh
    scene = trimesh.load(str(out / f'{stem}_scene.glb'), process=False)
    hand = trimesh.load(str(out / f'{stem}_hand.ply'), process=False)
    flip = np.array([1.0, -1.0, -1.0])  # OpenCV -> the scene's OpenGL camera frame
    np.testing.assert_allclose(scene.geometry['hand'].vertices, hand.vertices * flip,
                               atol=1e-5)
    np.testing.assert_array_equal(scene.geometry['hand'].faces, hand.faces)
    R, t = np.asarray(pred['object']['rotation']), np.asarray(pred['object']['translation'])
    obj = trimesh.load(str(out / f'{stem}_object.obj'), process=False)
    np.testing.assert_allclose(scene.geometry['object'].vertices, obj.vertices * flip,
                               atol=1e-5)
    from hoverse.objects import ObjectLibrary
    template = ObjectLibrary(osp.join(synthetic_root, 'models'))['box'].vertices
    np.testing.assert_allclose((scene.geometry['object'].vertices * flip - t) @ R, template,
                               atol=1e-5)
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
    out, out_json = str(tmp_path / 'out.mp4'), tmp_path / 'frames.jsonl'
    proc = run_tool(['demo/video_demo.py', video, CFG, r18_checkpoint['path'], '--out', out,
                     '--object', 'box', '--detector', 'none', '--out-json', str(out_json),
                     '--fit-to', 'landmarks', '--export', 'glb', '--focal', '300',
                     '--cfg-options',
                     *r18_checkpoint['cli']])
    cap = cv2.VideoCapture(out)
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 5
    scenes = sorted(glob.glob(osp.join(tmp_path, 'out_scenes', '*.glb')))
    assert [osp.basename(p) for p in scenes] == [f'{i:06d}.glb' for i in range(5)]
    assert 'frames per second' in proc.stdout
    import json
    records = [json.loads(line) for line in out_json.read_text().splitlines()]
    assert [r['frame'] for r in records] == [0, 1, 2, 3, 4]
    np.testing.assert_allclose([r['time_s'] for r in records], np.arange(5) / 10, atol=1e-6)
    h, w = frames[0].shape[:2]
    for r in records:
        assert r['reconstructed'] and r['box_source'] == 'given'
        assert r['hand_fit'] == 'model'  # no detector, no landmarks: the model's joints
        assert r['camera_source'] == 'focal' and r['camera'][0][0] == 300.0
        assert r['hand_object_box'] == [0, 0, w, h]
        assert np.asarray(r['joints_cam']).shape == (21, 3)
        assert np.asarray(r['joints_2d']).shape == (21, 2)
        assert r['object']['name'] == 'box' and np.asarray(r['object']['rotation']).shape == (3, 3)


def _load_demo():
    return load_script('demo/image_demo.py', 'image_demo')


def _model(r18_checkpoint):
    from hoverse.apis import init_model
    return init_model(CFG, r18_checkpoint['path'], cfg_options=r18_checkpoint['options'])


def test_image_demo_detects_classifies_and_mirrors_left_hands(tmp_path, synthetic_root,
                                                              r18_checkpoint):
    """No --bbox, no --object: the detector's box is enlarged to the hand-object crop, the
    classifier names the object, and a left hand is the mirror image of the right one."""
    import json

    from hoverse.detectors import FixedBoxDetector
    from hoverse.geometry.boxes import hand_object_box
    demo, model = _load_demo(), _model(r18_checkpoint)
    img = _images(synthetic_root)[0]
    h, w = cv2.imread(img).shape[:2]
    hand_box = [80, 70, 150, 140]
    right = demo.run_image_demo(model, img, str(tmp_path / 'r'),
                                detector=FixedBoxDetector([hand_box]))
    pred = json.load(open(right['files']['json']))
    np.testing.assert_allclose(pred['hand_object_box'],
                               hand_object_box(hand_box, (h, w)), atol=1e-6)
    assert pred['detection']['bbox'] == hand_box and pred['hand_side'] == 'right'
    top = pred['object']['top']
    assert len(top) == 3 and pred['object']['name'] == top[0]['name']
    assert pred['object']['name_source'] == 'classified'
    assert sum(t['probability'] for t in top) <= 1 + 1e-6
    assert osp.getsize(right['files']['object_mesh']) > 0

    # the same image flipped, its hand declared left: every output mirrors back
    flipped = str(tmp_path / 'flipped.png')
    cv2.imwrite(flipped, cv2.imread(img)[:, ::-1])
    from hoverse.geometry.mirror import mirror_box
    left = demo.run_image_demo(model, flipped, str(tmp_path / 'l'),
                               detector=FixedBoxDetector([mirror_box(hand_box, w)],
                                                         handedness=['left']))
    lp = json.load(open(left['files']['json']))
    assert lp['hand_side'] == 'left' and lp['object']['mirrored']
    jr, jl = np.array(pred['joints_cam']), np.array(lp['joints_cam'])
    # x mirrored about the camera; the default camera's centre moves by under a pixel
    np.testing.assert_allclose(jl[:, 1:], jr[:, 1:], atol=2e-3)
    np.testing.assert_allclose(jl[:, 0], -jr[:, 0], atol=2e-3 + 1.0 / w * jr[:, 2].max())
    np.testing.assert_allclose(np.array(lp['joints_2d'])[:, 0],
                               w - 1 - np.array(pred['joints_2d'])[:, 0], atol=1.5)


def test_image_demo_without_a_hand_exits_2(tmp_path, synthetic_root, r18_checkpoint):
    """A blank image: no hand (MediaPipe installed) or no detector (extra missing), both
    exit with code 2 and a message asking for --bbox; nothing is written."""
    import pytest

    from hoverse.detectors import FixedBoxDetector, NoHandFoundError
    blank = str(tmp_path / 'blank.png')
    cv2.imwrite(blank, np.full((240, 320, 3), 127, np.uint8))
    out = tmp_path / 'o'
    proc = run_tool(['demo/image_demo.py', blank, CFG, r18_checkpoint['path'], '--out-dir',
                     str(out), '--cfg-options', *r18_checkpoint['cli']], check=False)
    assert proc.returncode == 2, proc.stderr
    assert ('--bbox' in proc.stderr or 'requirements/detect.txt' in proc.stderr)
    assert 'Traceback' not in proc.stderr and not out.exists()
    proc = run_tool(['demo/image_demo.py', blank, CFG, r18_checkpoint['path'], '--detector',
                     'FixedBoxDetector', '--out-dir', str(out)], check=False)
    assert proc.returncode == 1 and 'FixedBoxDetector' in proc.stderr
    assert 'Traceback' not in proc.stderr
    with pytest.raises(NoHandFoundError, match='--bbox'):
        _load_demo().locate(cv2.imread(blank), blank, None, FixedBoxDetector([]))


def test_image_demo_writes_files_when_the_renderer_fails(tmp_path, synthetic_root,
                                                         r18_checkpoint, monkeypatch):
    import hoverse.apis.results as results

    def broken(*args, **kwargs):
        raise ImportError('Library "GLU" not found.')

    monkeypatch.setattr(results, 'draw_result', broken)
    demo, model = _load_demo(), _model(r18_checkpoint)
    out = demo.run_image_demo(model, _images(synthetic_root)[0], str(tmp_path),
                              bbox=[60, 60, 200, 200], object_name='box')
    assert {'hand_mesh', 'object_mesh', 'json', 'joints'} <= set(out['files'])
    assert 'overlay' not in out['files']
    assert 'apt-get install -y libglu1-mesa' in out['render_error']


REAL = osp.join(osp.dirname(__file__), '..', '..', '..', 'shared', 'real_images',
                'handoccnet_fitting_input.jpg')


def test_image_demo_on_a_real_photo_without_box_or_object(tmp_path, r18_checkpoint):
    """The one-line use on a user's photo: detector, classifier, every file (skipped
    without the detect extra or without ../shared/real_images)."""
    import json

    import pytest
    pytest.importorskip('mediapipe', reason='the detect extra is not installed')
    if not osp.isfile(REAL):
        pytest.skip('../shared/real_images is not on this machine')
    out = tmp_path / 'real'
    proc = run_tool(['demo/image_demo.py', REAL, CFG, r18_checkpoint['path'], '--out-dir',
                     str(out), '--fit-to', 'landmarks', '--cfg-options',
                     *r18_checkpoint['cli']])
    stem = 'handoccnet_fitting_input'
    for suffix in ('overlay.png', 'side.png', 'joints2d.png', 'hand.ply', 'object.obj',
                   'pred.json'):
        assert osp.getsize(out / f'{stem}_{suffix}') > 0, suffix
    pred = json.load(open(out / f'{stem}_pred.json'))
    assert pred['detection']['handedness'] == 'right' and len(pred['object']['top']) == 3
    assert 'hand: right' in proc.stdout and 'object: ' in proc.stdout
    # the hand fitted to MediaPipe's landmarks: its projected joints lie near them
    assert pred['hand_fit'] == 'landmarks' and "detector's 2D joints" in proc.stdout
    from hoverse.apis.fit_target import landmarks_to_canonical
    lms = landmarks_to_canonical(np.asarray(pred['detection']['keypoints']))
    gap = np.linalg.norm(np.asarray(pred['joints_2d']) - lms, axis=1).mean()
    side = np.ptp(lms, axis=0).max()
    assert gap < 0.15 * side, (gap, side)


def test_video_demo_tracks_a_real_pan_with_the_landmarks(tmp_path, r18_checkpoint):
    """A pan over the lab photo: detected on the first frame, then followed by the
    detector's video mode; each frame's source is in the per-frame JSON and the detector
    runs are reported (skipped without the detect extra or ../shared/real_images)."""
    import json

    import pytest
    pytest.importorskip('mediapipe', reason='the detect extra is not installed')
    if not osp.isfile(REAL):
        pytest.skip('../shared/real_images is not on this machine')
    from hoverse.testing.pan_video import pan_frames, write_video
    frames, _ = pan_frames(cv2.imread(REAL)[..., ::-1], 8)
    video = write_video(frames, str(tmp_path / 'pan.mp4'))
    out_json = tmp_path / 'pan.jsonl'
    proc = run_tool(['demo/video_demo.py', video, CFG, r18_checkpoint['path'], '--out',
                     str(tmp_path / 'out.mp4'), '--out-json', str(out_json),
                     '--fit-to', 'landmarks', '--cfg-options', *r18_checkpoint['cli']])
    records = [json.loads(line) for line in out_json.read_text().splitlines()]
    assert len(records) == 8 and records[0]['box_source'] == 'detection'
    assert all(r['hand_fit'] == 'landmarks' for r in records)
    assert [r['box_source'] for r in records[2:]] == ['tracking'] * 6
    assert all(r['detection']['handedness'] == 'right' for r in records)
    assert 'hand detector runs: 2 (25 per 100 frames)' in proc.stdout
