"""LoadImage(decode_at_crop_size=True): a JPEG decoded at a fraction of its size for the crop."""
import cv2
import torch
import numpy as np
import pytest

from hoverse.datasets.transforms import ImageReadError, LoadImage, TopDownAffine
from hoverse.datasets.transforms.loading import decode_for_crop, image_size

H, W = 480, 640
BLOB = (403.0, 297.0)  # (x, y) original pixels


def _jpeg(path, h=H, w=W):
    """A smooth gradient with one bright disc centred at ``BLOB``."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.stack([x / w * 120, y / h * 120, 60 + 0 * x], -1)
    img[(x - BLOB[0])**2 + (y - BLOB[1])**2 < 12**2] = 250
    cv2.imwrite(str(path), img.astype(np.uint8)[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, 95])
    return str(path)


def _crop(path, box, decode, flip=False, size=128):
    K = np.array([[500.0, 0, W / 2], [0, 500.0, H / 2], [0, 0, 1]], np.float32)
    r = dict(img_path=path, bbox=np.asarray(box, np.float32), cam_K=K, flip_image=flip)
    r = LoadImage(decode_at_crop_size=decode).transform(r)
    return TopDownAffine(input_size=(size, size), padding=1.0).transform(r)


def _centroid(img):
    m = (img.astype(np.float32).mean(-1) > 200).astype(np.float32)
    ys, xs = np.nonzero(m)
    return np.array([xs.mean(), ys.mean()])


@pytest.mark.parametrize('flip', [False, True])
@pytest.mark.parametrize('side', [300, 600])  # decoded at 1/2 and at 1/4
def test_deferred_decode_gives_the_same_crop(tmp_path, side, flip):
    path = _jpeg(tmp_path / 'a.jpg')
    cx, cy = (W - 1 - BLOB[0] if flip else BLOB[0]) + 20, BLOB[1] - 10
    box = [cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2]
    full, red = _crop(path, box, False, flip), _crop(path, box, True, flip)
    for k in ('crop_affine', 'cam_K', 'img_shape'):  # the geometry is the full image's
        np.testing.assert_array_equal(np.asarray(full[k]), np.asarray(red[k]), err_msg=k)
    # the disc lands on the same crop pixel (a misplaced pixel grid shows as >= s/2 px)
    np.testing.assert_allclose(_centroid(red['img']), _centroid(full['img']), atol=0.35)
    expected = np.array([W - 1 - BLOB[0] if flip else BLOB[0], BLOB[1], 1.0])
    np.testing.assert_allclose(_centroid(red['img']), red['crop_affine'] @ expected, atol=0.5)
    diff = np.abs(red['img'].astype(int) - full['img'].astype(int)).mean()
    assert diff < 4.0  # smooth content: resampling differences only


def test_reduction_follows_the_crop_and_the_grid(tmp_path):
    path = _jpeg(tmp_path / 'a.jpg')
    r = dict(img_path=path, img_shape=(H, W))
    assert decode_for_crop(r, 200, 128)[0].shape == (H, W, 3)         # too small to reduce
    assert decode_for_crop(r, 300, 128)[0].shape == (H // 2, W // 2, 3)
    img, S = decode_for_crop(r, 1100, 128)
    assert img.shape == (H // 8, W // 8, 3) and S[0, 0] == 8 and S[0, 2] == 3.5
    odd = _jpeg(tmp_path / 'odd.jpg', h=482, w=642)  # 2 divides both sides, 4 does not
    assert decode_for_crop(dict(img_path=odd, img_shape=(482, 642)), 1100, 128)[1][0, 0] == 2


def test_other_formats_and_given_arrays_decode_at_once(tmp_path):
    png = tmp_path / 'a.png'
    cv2.imwrite(str(png), np.zeros((20, 30, 3), np.uint8))
    r = LoadImage(decode_at_crop_size=True).transform(dict(img_path=str(png)))
    assert r['img'].shape == (20, 30, 3)
    jpg = _jpeg(tmp_path / 'a.jpg')
    assert LoadImage(decode_at_crop_size=True).transform(dict(img_path=jpg))['img'] is None
    given = np.zeros((8, 9, 3), np.uint8)
    r = LoadImage(decode_at_crop_size=True).transform(dict(img_path=jpg, img=given))
    assert r['img'] is given and r['img_shape'] == (8, 9)


def test_bad_jpegs_are_still_named(tmp_path):
    whole = open(_jpeg(tmp_path / 'a.jpg'), 'rb').read()
    cut = tmp_path / 'cut.jpg'
    cut.write_bytes(whole[:len(whole) // 2])
    with pytest.raises(ImageReadError, match='cut.jpg.*truncated JPEG'):
        _crop(str(cut), [0, 0, 400, 400], True)
    junk = tmp_path / 'junk.jpg'
    junk.write_bytes(b'\xff\xd8 not a jpeg at all')
    with pytest.raises(ImageReadError, match='junk.jpg'):
        image_size(str(junk))


def test_masks_load_as_8_bit_labels_and_others_are_named(tmp_path):
    from hoverse.datasets.transforms import PackHandObjectInputs
    png = tmp_path / 'a.png'
    cv2.imwrite(str(png), np.zeros((20, 30, 3), np.uint8))
    good = tmp_path / 'mask.png'
    labels = np.zeros((20, 30), np.uint8)
    labels[5:9, 4:12] = 2
    cv2.imwrite(str(good), labels)
    r = LoadImage(with_mask=True).transform(dict(img_path=str(png), mask_path=str(good)))
    packed = PackHandObjectInputs().transform(r)['data_samples'].gt_instances.mask
    assert packed.dtype == torch.uint8 and packed.shape == (1, 20, 30)
    assert np.array_equal(packed[0].numpy(), labels)
    # a 16-bit or colour mask would be cut to 8 bits without a word: it is refused instead
    for name, bad in (('wide.png', labels.astype(np.uint16) * 300),
                      ('colour.png', np.zeros((20, 30, 3), np.uint8))):
        cv2.imwrite(str(tmp_path / name), bad)
        with pytest.raises(ImageReadError, match=f'{name}.*8-bit label image'):
            LoadImage(with_mask=True).transform(dict(img_path=str(png),
                                                     mask_path=str(tmp_path / name)))
