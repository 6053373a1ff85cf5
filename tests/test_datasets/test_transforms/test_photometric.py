import cv2
import numpy as np

from hoverse.datasets.transforms import ColorJitter


def _float_reference(img, t):
    """ColorJitter's definition in float arithmetic, drawing in the same order."""
    img = img.astype(np.float32)
    img *= np.random.uniform(1 - t.brightness, 1 + t.brightness)
    mean = img.mean()
    img = (img - mean) * np.random.uniform(1 - t.contrast, 1 + t.contrast) + mean
    img = np.clip(img, 0, 255).astype(np.uint8)
    hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV).astype(np.float32)
    hsv[..., 0] = (hsv[..., 0] + np.random.uniform(-t.hue, t.hue) / 2) % 180
    hsv[..., 1] *= np.random.uniform(1 - t.saturation, 1 + t.saturation)
    hsv[..., 1:] = np.clip(hsv[..., 1:], 0, 255)
    return cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2RGB)


def test_lookup_tables_equal_the_float_definition():
    rng = np.random.default_rng(0)
    t = ColorJitter()
    for seed in range(10):
        img = rng.integers(0, 256, (64, 80, 3), dtype=np.uint8)
        np.random.seed(seed)
        ref = _float_reference(img, t)
        np.random.seed(seed)
        out = t(dict(img=img.copy()))['img']
        # the float mean and the table's mean may round differently: at most 1 level
        assert np.abs(out.astype(int) - ref).max() <= 1
        assert (out != ref).mean() < 0.01


def test_changes_the_image_and_keeps_its_type():
    img = np.full((32, 32, 3), (200, 60, 30), np.uint8)
    np.random.seed(1)
    out = ColorJitter()(dict(img=img.copy()))['img']
    assert out.dtype == np.uint8 and out.shape == img.shape and not np.array_equal(out, img)
