"""Colour augmentation (training only)."""
from typing import Dict

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from hoverse.registry import TRANSFORMS


@TRANSFORMS.register_module()
class ColorJitter(BaseTransform):
    """Random brightness, contrast, saturation (factors in ``1 +- x``) and hue (+- degrees)."""

    def __init__(self, brightness: float = 0.3, contrast: float = 0.3,
                 saturation: float = 0.3, hue: float = 8.0) -> None:
        self.brightness, self.contrast = brightness, contrast
        self.saturation, self.hue = saturation, hue

    def transform(self, results: Dict) -> Dict:
        # every step is a function of one pixel value (the contrast's mean is the image's,
        # fixed per call), so each runs as a 256-entry lookup table on uint8: the same
        # result as the float arithmetic, at a fraction of the cost
        img = results['img']
        b = np.random.uniform(1 - self.brightness, 1 + self.brightness)
        mean = float(np.mean(cv2.mean(img)[:img.shape[2]])) * b
        c = np.random.uniform(1 - self.contrast, 1 + self.contrast)
        values = np.arange(256, dtype=np.float32)
        lut = np.clip((values * np.float32(b) - mean) * np.float32(c) + mean, 0, 255)
        img = cv2.LUT(img, lut.astype(np.uint8))
        hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
        hue = (values + np.random.uniform(-self.hue, self.hue) / 2) % 180
        sat = np.clip(values * np.random.uniform(1 - self.saturation, 1 + self.saturation), 0,
                      255)
        table = np.stack([hue, sat, values], -1).astype(np.uint8)[:, None, :]
        results['img'] = cv2.cvtColor(cv2.LUT(hsv, table), cv2.COLOR_HSV2RGB)
        return results
