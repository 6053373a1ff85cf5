"""Backgrounds for the synthetic set; the renderer lives in :mod:`hoverse.visualization`."""
from typing import Tuple

import numpy as np

from hoverse.visualization.renderer import HandObjectRenderer

__all__ = ['HandObjectRenderer', 'random_background']


def random_background(rng: np.random.Generator, size: Tuple[int, int]) -> np.ndarray:
    """A smooth random colour field plus noise, ``(H, W, 3)`` uint8."""
    import cv2
    w, h = size
    coarse = rng.uniform(0, 255, size=(rng.integers(2, 6), rng.integers(2, 6), 3))
    img = cv2.resize(coarse.astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    img += rng.normal(0, rng.uniform(2, 15), size=img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)
