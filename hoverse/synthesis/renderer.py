"""Backgrounds for the synthetic set; the renderer lives in :mod:`hoverse.visualization`.

Half of the backgrounds are crops of the photographs that scikit-image ships in its wheel
(``skimage/data``: street scenes, people, animals, textures), flipped, rotated and
recoloured; the rest are smooth random colour fields with noise. Without scikit-image
every background is procedural.
"""
import glob
import os.path as osp
from functools import lru_cache
from typing import List, Tuple

import numpy as np

from hoverse.visualization.renderer import HandObjectRenderer

__all__ = ['HandObjectRenderer', 'random_background', 'photo_backgrounds']

#: skimage's bundled colour photographs (no download needed)
PHOTO_NAMES = ('astronaut.png', 'chelsea.png', 'coffee.png', 'rocket.jpg', 'motorcycle_left.png',
               'motorcycle_right.png', 'hubble_deep_field.jpg', 'retina.jpg', 'color.png',
               'gravel.png', 'brick.png', 'grass.png', 'ihc.png', 'camera.png', 'coins.png',
               'page.png', 'moon.png', 'text.png')


@lru_cache(maxsize=1)
def photo_backgrounds() -> Tuple[np.ndarray, ...]:
    """The bundled photographs as RGB uint8 arrays (empty without scikit-image)."""
    import importlib.util

    from PIL import Image
    spec = importlib.util.find_spec('skimage')
    if spec is None or not spec.submodule_search_locations:
        return ()
    folder = osp.join(list(spec.submodule_search_locations)[0], 'data')
    out: List[np.ndarray] = []
    for name in PHOTO_NAMES:
        for path in glob.glob(osp.join(folder, name)):
            with Image.open(path) as im:  # PIL: libpng's profile warnings stay quiet
                out.append(np.asarray(im.convert('RGB')).copy())
    return tuple(out)


def _procedural_background(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    import cv2
    coarse = rng.uniform(0, 255, size=(rng.integers(2, 6), rng.integers(2, 6), 3))
    img = cv2.resize(coarse.astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    img += rng.normal(0, rng.uniform(2, 15), size=img.shape)
    return img


def _photo_background(rng: np.random.Generator, photo: np.ndarray, w: int, h: int
                      ) -> np.ndarray:
    import cv2
    H, W = photo.shape[:2]
    side = int(rng.uniform(0.3, 1.0) * min(H, W))
    y, x = rng.integers(0, H - side + 1), rng.integers(0, W - side + 1)
    img = cv2.resize(photo[y:y + side, x:x + side], (w, h),
                     interpolation=cv2.INTER_AREA).astype(np.float32)
    img = np.rot90(img, int(rng.integers(4))) if w == h else img
    if rng.uniform() < 0.5:
        img = img[:, ::-1]
    gains = rng.uniform(0.6, 1.3, 3)  # recolour: per-channel gain, brightness, contrast
    img = (img - img.mean()) * rng.uniform(0.6, 1.2) + img.mean() * rng.uniform(0.6, 1.2)
    return np.ascontiguousarray(img * gains)


def random_background(rng: np.random.Generator, size: Tuple[int, int],
                      photo_prob: float = 0.5) -> np.ndarray:
    """``(H, W, 3)`` uint8: a recoloured photo crop with probability ``photo_prob`` (when
    scikit-image is installed), else a smooth random colour field plus noise."""
    w, h = size
    photos = photo_backgrounds()
    if photos and rng.uniform() < photo_prob:
        img = _photo_background(rng, photos[int(rng.integers(len(photos)))], w, h)
    else:
        img = _procedural_background(rng, w, h)
    return np.clip(img, 0, 255).astype(np.uint8)
