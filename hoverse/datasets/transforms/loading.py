"""Image loading with clear errors."""
import os.path as osp
from typing import Dict, Optional

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from hoverse.registry import TRANSFORMS


class ImageReadError(ValueError):
    """An image file is missing, empty or not a decodable image."""


#: what a sample that cannot be read raises (``bad_sample_policy`` of the datasets)
BAD_SAMPLE_ERRORS = (ImageReadError, OSError)


def _truncated_jpeg(path: str, window: int = 256 * 1024) -> bool:
    """A JPEG (starts with the SOI marker) with no EOI marker in its last ``window``
    bytes: cut off. (Cameras that append a trailer after the EOI stay accepted; a cut inside
    a file small enough to hold an embedded thumbnail's EOI in that window goes unseen.)"""
    with open(path, 'rb') as f:
        if f.read(2) != b'\xff\xd8':
            return False
        f.seek(max(osp.getsize(path) - window, 2))
        return b'\xff\xd9' not in f.read()


def read_image_rgb(path: str) -> np.ndarray:
    """Read an image as RGB uint8 ``(H, W, 3)``.

    Grayscale images are repeated to 3 channels, RGBA/BGRA drop alpha, 16-bit images are
    scaled to 8 bit. Missing, empty, undecodable, truncated (JPEG) or zero-size images raise
    :class:`ImageReadError` naming the file.
    """
    if not osp.isfile(path):
        raise ImageReadError(f'image file {path!r} does not exist')
    if osp.getsize(path) == 0:
        raise ImageReadError(f'image file {path!r} is empty (0 bytes)')
    if _truncated_jpeg(path):
        raise ImageReadError(f'image file {path!r} is a truncated JPEG (no end-of-image '
                             'marker): the decoder would fill the missing part with gray')
    img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if img is None:
        raise ImageReadError(f'image file {path!r} is not a readable image (corrupt or '
                             'unsupported format)')
    if img.size == 0 or min(img.shape[:2]) == 0:
        raise ImageReadError(f'image file {path!r} has zero size {img.shape}')
    if img.dtype == np.uint16:
        img = (img / 257.0).round().astype(np.uint8)
    elif img.dtype != np.uint8:
        raise ImageReadError(f'image file {path!r} has unsupported pixel type {img.dtype}')
    if img.ndim == 2:
        img = cv2.cvtColor(img, cv2.COLOR_GRAY2RGB)
    elif img.shape[2] == 4:
        img = cv2.cvtColor(img, cv2.COLOR_BGRA2RGB)
    elif img.shape[2] == 3:
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    else:
        raise ImageReadError(f'image file {path!r} has {img.shape[2]} channels')
    return img


@TRANSFORMS.register_module()
class LoadImage(BaseTransform):
    """Read ``results['img_path']`` into ``results['img']`` (RGB uint8) and ``img_shape``.

    A sample flagged ``flip_image`` (a mirrored left hand) is flipped horizontally. Masks
    (``mask_path``: 0 background, 1 hand, 2 object) load when ``with_mask``.
    """

    def __init__(self, with_mask: bool = False) -> None:
        self.with_mask = with_mask

    def transform(self, results: Dict) -> Optional[Dict]:
        if 'img' not in results:
            results['img'] = read_image_rgb(results['img_path'])
        img = results['img']
        if results.get('flip_image', False):
            img = np.ascontiguousarray(img[:, ::-1])
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        if self.with_mask and results.get('mask_path'):
            mask = cv2.imread(results['mask_path'], cv2.IMREAD_UNCHANGED)
            if mask is None:
                raise ImageReadError(f'mask file {results["mask_path"]!r} is not readable')
            if results.get('flip_image', False):
                mask = np.ascontiguousarray(mask[:, ::-1])
            results['mask'] = mask
        return results
