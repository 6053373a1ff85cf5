"""Image loading with clear errors."""
import os.path as osp
from typing import Dict, Optional, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from hoverse.geometry.mirror import mirror_image
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


#: libjpeg's DCT-domain scaling: a JPEG decoded at 1/2, 1/4 or 1/8 of its size, at a
#: fraction of the cost and antialiased
REDUCED_DECODE_FLAGS = {2: cv2.IMREAD_REDUCED_COLOR_2, 4: cv2.IMREAD_REDUCED_COLOR_4,
                        8: cv2.IMREAD_REDUCED_COLOR_8}


def is_jpeg(path: str) -> bool:
    """Whether the file starts with JPEG's start-of-image marker."""
    with open(path, 'rb') as f:
        return f.read(2) == b'\xff\xd8'


def _check_file(path: str) -> None:
    if not osp.isfile(path):
        raise ImageReadError(f'image file {path!r} does not exist')
    if osp.getsize(path) == 0:
        raise ImageReadError(f'image file {path!r} is empty (0 bytes)')


def image_size(path: str) -> Tuple[int, int]:
    """``(H, W)`` of an image file from its header alone (no decoding)."""
    _check_file(path)
    from PIL import Image, UnidentifiedImageError
    try:
        with Image.open(path) as im:
            w, h = im.size
    except (UnidentifiedImageError, OSError) as e:
        raise ImageReadError(f'image file {path!r} is not a readable image ({e})') from e
    if min(h, w) == 0:
        raise ImageReadError(f'image file {path!r} has zero size {(h, w)}')
    return h, w


def read_image_rgb(path: str, reduce: int = 1) -> np.ndarray:
    """Read an image as RGB uint8 ``(H, W, 3)``; ``reduce`` 2, 4 or 8 decodes a JPEG at
    that fraction of its size (``(ceil(H / reduce), ceil(W / reduce), 3)``).

    Grayscale images are repeated to 3 channels, RGBA/BGRA drop alpha, 16-bit images are
    scaled to 8 bit. Missing, empty, undecodable, truncated (JPEG) or zero-size images raise
    :class:`ImageReadError` naming the file.
    """
    _check_file(path)
    if _truncated_jpeg(path):
        raise ImageReadError(f'image file {path!r} is a truncated JPEG (no end-of-image '
                             'marker): the decoder would fill the missing part with gray')
    if reduce != 1 and reduce not in REDUCED_DECODE_FLAGS:
        raise ValueError(f'read_image_rgb: reduce must be 1, 2, 4 or 8, got {reduce}')
    img = cv2.imread(path, REDUCED_DECODE_FLAGS[reduce] if reduce > 1 else
                     cv2.IMREAD_UNCHANGED)
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

    ``decode_at_crop_size``: a JPEG is not decoded here. Its size comes from its header,
    ``img`` is ``None`` and :class:`TopDownAffine` decodes it at the smallest of 1/2, 1/4
    and 1/8 scale that still holds the crop's resolution (:func:`decode_for_crop`): less
    decoding work and an antialiased downscale. Other formats decode here as usual. The
    pipeline must crop with ``TopDownAffine`` next (after the box).
    """

    def __init__(self, with_mask: bool = False, decode_at_crop_size: bool = False) -> None:
        self.with_mask = with_mask
        self.decode_at_crop_size = decode_at_crop_size

    def transform(self, results: Dict) -> Optional[Dict]:
        if ('img' not in results and self.decode_at_crop_size
                and osp.isfile(results['img_path']) and is_jpeg(results['img_path'])):
            shape = image_size(results['img_path'])
            results.update(img=None, img_shape=shape, ori_shape=shape)
        else:
            if 'img' not in results:
                results['img'] = read_image_rgb(results['img_path'])
            img = results['img']
            if results.get('flip_image', False):
                img = mirror_image(img)
            results['img'] = img
            results['img_shape'] = img.shape[:2]
            results['ori_shape'] = img.shape[:2]
        if self.with_mask and results.get('mask_path'):
            mask = cv2.imread(results['mask_path'], cv2.IMREAD_UNCHANGED)
            if mask is None:
                raise ImageReadError(f'mask file {results["mask_path"]!r} is not readable')
            if mask.ndim != 2 or mask.dtype != np.uint8:
                raise ImageReadError(f'mask file {results["mask_path"]!r}: expected a '
                                     f'single-channel 8-bit label image (0 background, 1 '
                                     f'hand, 2 object), got {mask.dtype} of shape '
                                     f'{mask.shape}')
            if results.get('flip_image', False):
                mask = mirror_image(mask)
            results['mask'] = mask
        return results


def decode_for_crop(results: Dict, crop_side: float, out_side: int
                    ) -> Tuple[np.ndarray, np.ndarray]:
    """Decode the JPEG that :class:`LoadImage` deferred, for a crop of ``crop_side``
    original pixels warped to ``out_side`` pixels.

    The reduction is the largest of 8, 4, 2 that keeps at least ``out_side`` pixels across
    the crop and divides the image's width and height (so that a flip and the pixel grid
    stay exact); else 1. Returns ``(img (H / s, W / s, 3) RGB uint8, S (3, 3))``, ``S``
    mapping the decoded image's pixels to the original ones (pixel centres:
    ``x = s * x' + (s - 1) / 2``). The sample's ``flip_image`` is applied.
    """
    h, w = results['img_shape']
    s = next((f for f in (8, 4, 2) if crop_side / f >= out_side and h % f == 0
              and w % f == 0), 1)
    img = read_image_rgb(results['img_path'], reduce=s)
    if img.shape[:2] != (h // s, w // s):
        raise ImageReadError(f"image file {results['img_path']!r} decodes to "
                             f'{img.shape[:2]} at 1/{s} scale; its header says {(h, w)}')
    if results.get('flip_image', False):
        img = mirror_image(img)
    S = np.array([[s, 0, (s - 1) / 2], [0, s, (s - 1) / 2], [0, 0, 1]], np.float64)
    return img, S
