import os.path as osp

import numpy as np
import pytest

from hoverse.apis import inference_model, init_model
from hoverse.datasets.transforms.loading import ImageReadError, read_image_rgb
from hoverse.geometry.camera import project_points
from tests.conftest import REPO

CFG = osp.join(REPO, 'configs/hoverse_plus/hoverse_plus_r18_synthetic.py')


@pytest.fixture(scope='module')
def model(r18_checkpoint):
    return init_model(CFG, r18_checkpoint['path'], cfg_options=r18_checkpoint['options'])


def _first_image(root):
    seq = sorted(osp.join(root, 'train', d) for d in __import__('os').listdir(
        osp.join(root, 'train')))[0]
    return osp.join(seq, 'rgb', '0000.png')


def test_meshes_in_camera_frame_project_into_the_image(model, synthetic_root):
    path = _first_image(synthetic_root)
    img = read_image_rgb(path)
    h, w = img.shape[:2]
    K = np.array([[350.0, 0, w / 2], [0, 350.0, h / 2], [0, 0, 1]])
    s = inference_model(model, path, bbox=(60, 60, 200, 200), object_name='box', camera=K)
    p = s.pred_instances
    assert p.verts_cam.shape == (1, 778, 3) and p.joints_cam.shape == (1, 21, 3)
    v = p.verts_cam[0].numpy().astype(np.float64)
    assert (v[:, 2] > 0).all()  # in front of the camera
    uv = project_points(v, K)
    inside = (uv[:, 0] >= 0) & (uv[:, 0] < w) & (uv[:, 1] >= 0) & (uv[:, 1] < h)
    assert inside.mean() > 0.9
    assert s.metainfo['root_source'] == 'pred'
    assert s.metainfo['hand_model'] == 'surrogate MANO'  # results say what made them
    assert p.obj_corners_2d.shape == (1, 8, 2)  # the named template's box


def test_batched_inference_matches_single(model, synthetic_root):
    path = _first_image(synthetic_root)
    img = read_image_rgb(path)
    single = inference_model(model, img)
    batch = inference_model(model, [img, img[:, ::-1].copy(), path], batch_size=2)
    assert len(batch) == 3
    np.testing.assert_allclose(batch[0].pred_instances.joints_cam.numpy(),
                               single.pred_instances.joints_cam.numpy(), atol=1e-5)


def test_clear_errors(model, synthetic_root, tmp_path, r18_checkpoint):
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        init_model(CFG, str(tmp_path / 'missing.pth'))
    bad = tmp_path / 'bad.png'
    bad.write_bytes(b'not an image')
    with pytest.raises(ImageReadError, match='bad.png'):
        inference_model(model, str(bad))
    with pytest.raises(KeyError, match="'teapot' has no template"):
        inference_model(model, _first_image(synthetic_root), object_name='teapot')
    with pytest.raises(ValueError, match='does not overlap'):
        inference_model(model, _first_image(synthetic_root), bbox=(500, 500, 600, 600))
    with pytest.raises(KeyError, match='no key'):
        init_model(CFG, r18_checkpoint['path'], cfg_options={'model.backbone.dept': 18})
    with pytest.raises(ValueError, match='corners swapped'):
        inference_model(model, _first_image(synthetic_root), bbox=(200, 60, 60, 200))
    with pytest.raises(ValueError, match='is 1x1 pixels; an image must be at least 2x2'):
        inference_model(model, np.zeros((1, 1, 3), np.uint8))
    truncated = tmp_path / 'half.pth'
    truncated.write_bytes(open(r18_checkpoint['path'], 'rb').read()[:4096])
    from hoverse.engine import CorruptCheckpointError
    with pytest.raises(CorruptCheckpointError, match='half.pth'):
        init_model(CFG, str(truncated), cfg_options=r18_checkpoint['options'])


def test_array_inputs_gray_rgba_and_empty(model, synthetic_root):
    rgb = read_image_rgb(_first_image(synthetic_root))
    gray = rgb.mean(-1).astype(np.uint8)
    rgba = np.concatenate([rgb, np.full(rgb.shape[:2] + (1, ), 255, np.uint8)], -1)
    for img in (gray, rgba):  # converted to RGB
        assert inference_model(model, img).pred_instances.joints_cam.shape == (1, 21, 3)
    with pytest.raises(ValueError, match='RGB uint8'):
        inference_model(model, np.zeros((0, 10, 3), np.uint8))
    with pytest.raises(ValueError, match='RGB uint8'):
        inference_model(model, rgb.astype(np.float32))


def test_inference_uses_the_configs_test_pipeline(model):
    from hoverse.apis.inference import inference_pipeline
    types = [t.__class__.__name__ for t in inference_pipeline(model).transforms]
    steps = [t['type'] for t in model.cfg.test_dataloader.dataset.pipeline]
    assert types == [t for t in steps if t != 'GenerateTargets'] and 'TopDownAffine' in types
    s = inference_model(model, np.zeros((90, 120, 3), np.uint8), bbox=(10, 10, 80, 70))
    assert tuple(s.metainfo['img_shape'][:2]) == (model.input_size, model.input_size)


def test_a_pipeline_cropping_to_another_size_is_named(model):
    from copy import deepcopy

    from hoverse.apis.inference import inference_pipeline
    other = deepcopy(model.cfg)
    for t in other.test_dataloader.dataset.pipeline:
        if t['type'] == 'TopDownAffine':
            t['input_size'] = (64, 64)
    old, model.cfg = model.cfg, other
    try:
        with pytest.raises(ValueError, match=r'\(64, 64\).*input_size is 128'):
            inference_pipeline(model)
    finally:
        model.cfg = old


def test_a_checkpoint_of_another_config_is_refused_in_one_line(r18_checkpoint):
    from hoverse.engine import CheckpointMismatchError
    r50 = osp.join(REPO, 'configs/hoverse/hoverse_r50_synthetic.py')
    with pytest.raises(CheckpointMismatchError, match=r'r18.pth.*does not fit.*wrong-shape'):
        opts = dict(r18_checkpoint['options'], **{'model.backbone.init_cfg': None})
        init_model(r50, r18_checkpoint['path'], cfg_options=opts)


@pytest.mark.parametrize('side', ['right', 'left'])
def test_a_fit_to_given_keypoints_moves_the_hand_onto_them(model, synthetic_root, side):
    """The detector's landmarks as the fit's evidence: image pixels, mapped into the crop
    (through the flip for a left hand). The fitted hand's joints land nearer to keypoints
    shifted off the regression than the regression does, and no fit leaves it alone."""
    from hoverse.apis.fit_target import set_fit_target
    from hoverse.apis.results import image_keypoints
    path = _first_image(synthetic_root)
    box = (60, 60, 200, 200)
    try:
        set_fit_target(model, 'none')
        plain = inference_model(model, path, bbox=box, hand_side=side)
        target = image_keypoints(plain) + np.array([12.0, -8.0])
        ignored = inference_model(model, path, bbox=box, hand_side=side,
                                  hand_keypoints=target)
        np.testing.assert_allclose(image_keypoints(ignored), image_keypoints(plain), atol=1e-4)
        set_fit_target(model, 'landmarks')
        fitted = inference_model(model, path, bbox=box, hand_side=side, hand_keypoints=target)
    finally:
        set_fit_target(model, 'none')
    before = np.linalg.norm(image_keypoints(plain) - target, axis=1).mean()
    after = np.linalg.norm(image_keypoints(fitted) - target, axis=1).mean()
    assert after < 0.5 * before, (before, after)
    with pytest.raises(ValueError, match='21 finite'):
        inference_model(model, path, bbox=box, hand_keypoints=np.zeros((5, 2)))
    with pytest.raises(ValueError, match='fit target'):
        set_fit_target(model, 'mediapipe')


def test_landmarks_come_in_the_canonical_order():
    from hoverse.apis.fit_target import detection_evidence, landmarks_to_canonical
    from hoverse.detectors import HandDetection
    mp = np.arange(42, dtype=float).reshape(21, 2)  # landmark i at (2i, 2i + 1)
    can = landmarks_to_canonical(mp)
    # MediaPipe: 0 wrist, 4 thumb tip, 5 index base, 8 index tip, 20 little tip
    for canonical, mediapipe in ((0, 0), (16, 4), (1, 5), (17, 8), (20, 20), (13, 1)):
        np.testing.assert_array_equal(can[canonical], mp[mediapipe])
    det = HandDetection(bbox=np.zeros(4), score=1.0, keypoints=mp)
    assert detection_evidence(det, 'model') is None
    np.testing.assert_array_equal(detection_evidence(det, 'landmarks'), can)
    assert detection_evidence(HandDetection(bbox=np.zeros(4), score=1.0), 'landmarks') is None
