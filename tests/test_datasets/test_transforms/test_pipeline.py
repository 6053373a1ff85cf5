import numpy as np
import pytest

from hoverse.datasets import HO3Dv2Dataset
from hoverse.datasets.transforms import (ColorJitter, GenerateTargets, GetHandObjectBBox,
                                         HandObjectCropBox, ImageReadError, LoadImage,
                                         PackHandObjectInputs, TopDownAffine, read_image_rgb)
from hoverse.geometry import apply_affine, project_points
from hoverse.testing import write_ho3d_fixture


@pytest.fixture(scope='module')
def raw_sample(tmp_path_factory, mano_dir):
    root = str(tmp_path_factory.mktemp('ho3d'))
    write_ho3d_fixture(root, mano_dir)
    return HO3Dv2Dataset(root, split='train', mano_path=mano_dir).get_data_info(0)


def _run(sample, seed, random=True):
    np.random.seed(seed)
    r = LoadImage().transform(dict(sample))
    r = HandObjectCropBox(sources=('joints', )).transform(r)
    orig_uv = project_points(r['joints_cam'], r['cam_K'])
    orig_obj_uv = project_points(
        r['obj_corners_rest'] @ r['obj_rot'].T + r['obj_trans'], r['cam_K'])
    r = TopDownAffine(random=random, rot_prob=1.0).transform(r)
    r = ColorJitter().transform(r)
    r = GenerateTargets().transform(r)
    return r, orig_uv, orig_obj_uv


@pytest.mark.parametrize('seed', range(6))
def test_augmented_3d_projects_onto_augmented_2d(raw_sample, seed):
    r, orig_uv, orig_obj_uv = _run(raw_sample, seed)
    warped = apply_affine(orig_uv, r['crop_affine'])
    joints = r['joints_3d'] + r['root_cam']
    assert np.abs(project_points(joints, r['cam_K']) - warped).max() < 1.0
    assert np.abs(r['keypoints_2d'] - warped).max() < 1.0
    obj_warped = apply_affine(orig_obj_uv, r['crop_affine'])
    assert np.abs(r['obj_kpts_2d'][:8] - obj_warped).max() < 1.0
    assert r['img'].shape == (256, 256, 3)


def test_rotation_moves_targets_about_the_optical_axis(raw_sample):
    r, _, _ = _run(raw_sample, 1)
    Rz = r['cam_rot']
    assert not np.allclose(Rz, np.eye(3))  # rot_prob=1: a rotation happened
    # distances from the camera centre and depths are unchanged by a rotation about z
    np.testing.assert_allclose(np.linalg.norm(r['joints_3d'] + r['root_cam'], axis=1),
                               np.linalg.norm(raw_sample['joints_cam'], axis=1), rtol=1e-5)
    np.testing.assert_allclose(r['root_cam'][2], raw_sample['root_cam'][2], rtol=1e-6)


@pytest.mark.parametrize('seed', range(3))
def test_camera_frame_ground_truth_is_the_datasets_own(raw_sample, seed):
    # the crop's rotation undone once: the packed camera-frame fields equal the
    # dataset's annotations before any augmentation
    r, _, _ = _run(raw_sample, seed)
    np.testing.assert_allclose(r['orig_joints_cam'], raw_sample['joints_cam'], atol=1e-6)
    np.testing.assert_allclose(r['orig_root_cam'], raw_sample['root_cam'], atol=1e-6)
    np.testing.assert_allclose(r['orig_obj_rot'], raw_sample['obj_rot'], atol=1e-6)
    np.testing.assert_allclose(r['orig_obj_trans'], raw_sample['obj_trans'], atol=1e-6)


def test_pack_produces_data_sample(raw_sample):
    r, _, _ = _run(raw_sample, 0, random=False)
    packed = PackHandObjectInputs().transform(r)
    assert packed['inputs'].shape == (3, 256, 256) and str(packed['inputs'].dtype) == 'torch.uint8'
    gt = packed['data_samples'].gt_instances
    assert gt.joints_3d.shape == (1, 21, 3) and gt.obj_rot.shape == (1, 3, 3)
    assert packed['data_samples'].metainfo['cam_K'].shape == (3, 3)


def test_bad_images_are_named(tmp_path):
    corrupt = tmp_path / 'corrupt.png'
    corrupt.write_bytes(b'\x89PNG not really')
    with pytest.raises(ImageReadError, match='corrupt.png.*not a readable image'):
        read_image_rgb(str(corrupt))
    empty = tmp_path / 'empty.jpg'
    empty.write_bytes(b'')
    with pytest.raises(ImageReadError, match='empty'):
        read_image_rgb(str(empty))
    with pytest.raises(ImageReadError, match='does not exist'):
        read_image_rgb(str(tmp_path / 'missing.png'))
    import cv2
    pixels = np.random.default_rng(0).integers(0, 255, (64, 64, 3), dtype=np.uint8)
    ok, buf = cv2.imencode('.jpg', pixels)
    whole = tmp_path / 'whole.jpg'
    whole.write_bytes(buf.tobytes())
    assert read_image_rgb(str(whole)).shape == (64, 64, 3)
    cut = tmp_path / 'cut.jpg'
    cut.write_bytes(buf.tobytes()[:len(buf) // 2])  # decodes, gray-filled, without the check
    with pytest.raises(ImageReadError, match='cut.jpg.*truncated JPEG'):
        read_image_rgb(str(cut))


def test_gray_and_rgba_are_converted(tmp_path):
    import cv2
    cv2.imwrite(str(tmp_path / 'g.png'), np.full((10, 12), 77, np.uint8))
    rgba = np.zeros((10, 12, 4), np.uint8)
    rgba[..., 2] = 200  # red in BGRA
    rgba[..., 3] = 10
    cv2.imwrite(str(tmp_path / 'a.png'), rgba)
    g = read_image_rgb(str(tmp_path / 'g.png'))
    a = read_image_rgb(str(tmp_path / 'a.png'))
    assert g.shape == (10, 12, 3) and (g == 77).all()
    assert a.shape == (10, 12, 3) and (a[..., 0] == 200).all() and (a[..., 1:] == 0).all()


def test_old_protocol_box_falls_back_to_given_box_then_image():
    r = dict(img_shape=(100, 200), hand_bbox=np.array([10, 20, 50, 60.0]), joints_cam=None,
             obj_rot=None, obj_corners_rest=None)
    assert np.allclose(GetHandObjectBBox().transform(dict(r))['bbox'], [10, 20, 50, 60])
    r['hand_bbox'] = None
    assert np.allclose(GetHandObjectBBox().transform(dict(r))['bbox'], [0, 0, 199, 99])


PRIOR = dict(scale=2.0, offset=(0.0, 0.25))


def test_crop_is_the_hand_box_grown_by_the_prior(raw_sample):
    """Sources in order: a given hand box, else the projected joints; a caller's crop box
    as it is; else the whole image."""
    r = dict(raw_sample, img_shape=(480, 640))
    uv = project_points(r['joints_cam'], r['cam_K'])
    hand = np.array([*uv.min(0), *uv.max(0)])
    from hoverse.geometry.boxes import HandObjectBoxPrior, hand_object_box
    expected = hand_object_box(hand, (480, 640), HandObjectBoxPrior(**PRIOR))
    joints = HandObjectCropBox(('given', 'joints'), PRIOR).transform(dict(r))['bbox']
    np.testing.assert_allclose(joints, expected, rtol=1e-5)
    # the same hand given as a box (HO3D's evaluation split, a detector): the same crop
    given = HandObjectCropBox(('given', 'joints'), PRIOR).transform(
        dict(r, joints_cam=None, hand_bbox=hand))['bbox']
    np.testing.assert_allclose(given, expected, rtol=1e-5)
    prefers_joints = HandObjectCropBox(('joints', 'given'), PRIOR).transform(
        dict(r, hand_bbox=hand + 30))['bbox']
    np.testing.assert_allclose(prefers_joints, expected, rtol=1e-5)
    chosen = HandObjectCropBox(('given', ), PRIOR).transform(
        dict(r, crop_bbox=[1, 2, 30, 40]))['bbox']
    np.testing.assert_allclose(chosen, [1, 2, 30, 40])
    nothing = HandObjectCropBox(('given', ), PRIOR).transform(dict(r))['bbox']
    np.testing.assert_allclose(nothing, [0, 0, 639, 479])
    with pytest.raises(ValueError, match='sources'):
        HandObjectCropBox(('object', ))


def test_the_test_crop_reads_no_object_annotation(raw_sample):
    """The object moved far away (or absent): the same crop. Before, the crop around the
    projected joints and object box moved with the object's ground truth."""
    r = dict(raw_sample, img_shape=(480, 640))
    crop = HandObjectCropBox(('given', 'joints'), PRIOR)
    a = crop.transform(dict(r))['bbox']
    b = crop.transform(dict(r, obj_trans=r['obj_trans'] + np.array([0.2, 0.1, 0.0])))['bbox']
    c = crop.transform(dict(r, obj_rot=None, obj_trans=None, obj_corners_rest=None))['bbox']
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)
