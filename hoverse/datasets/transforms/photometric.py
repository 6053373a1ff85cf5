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
        img = results['img'].astype(np.float32)
        img *= np.random.uniform(1 - self.brightness, 1 + self.brightness)
        mean = img.mean()
        img = (img - mean) * np.random.uniform(1 - self.contrast, 1 + self.contrast) + mean
        img = np.clip(img, 0, 255).astype(np.uint8)
        hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV).astype(np.float32)
        hsv[..., 0] = (hsv[..., 0] + np.random.uniform(-self.hue, self.hue) / 2) % 180
        hsv[..., 1] *= np.random.uniform(1 - self.saturation, 1 + self.saturation)
        hsv[..., 1:] = np.clip(hsv[..., 1:], 0, 255)
        results['img'] = cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2RGB)
        return results
