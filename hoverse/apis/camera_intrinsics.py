"""The camera intrinsics of a user's photo: given, from a file, from the focal length alone,
from the JPEG's EXIF, or the default guess; and which of them was used.

Why it matters: the network reads the hand's distance from its size in the crop through
the camera. With the wrong focal length the reconstruction keeps its shape and its image
but its absolute depth (and so its metric position) scales with the focal length's error.
The default (:func:`hoverse.apis.inference.default_camera`: focal = the longer image side,
about 53 degrees of horizontal field of view, principal point at the centre) is a typical
phone's main camera; depths are then right to that guess only.
"""
import json
import os.path as osp
from typing import Optional, Tuple

import numpy as np

#: where a demo's intrinsics came from (the JSON's ``camera_source``), in order of priority
CAMERA_SOURCES = ('intrinsics', 'focal', 'exif', 'default')
#: the diagonal of a 36 x 24 mm frame: the reference of EXIF's 35 mm-equivalent focal length
FULL_FRAME_DIAGONAL_MM = float(np.hypot(36.0, 24.0))
EXIF_FOCAL_35MM, EXIF_FOCAL_MM = 41989, 37386
EXIF_PLANE_X_RES, EXIF_PLANE_UNIT = 41486, 41488
EXIF_SUB_IFD = 0x8769
#: FocalPlaneResolutionUnit: 2 inches, 3 centimetres, 4 millimetres, 5 micrometres
PLANE_UNIT_MM = {2: 25.4, 3: 10.0, 4: 1.0, 5: 0.001}


def pinhole(fx: float, fy: float, cx: float, cy: float) -> np.ndarray:
    """``(3, 3)`` intrinsics."""
    return np.array([[fx, 0, cx], [0, fy, cy], [0, 0, 1.0]])


def read_intrinsics_file(path: str) -> np.ndarray:
    """A 3x3 intrinsic matrix from a JSON file: ``[[fx, 0, cx], [0, fy, cy], [0, 0, 1]]``
    or ``{"fx":, "fy":, "cx":, "cy":}`` (pixels).

    Raises:
        FileNotFoundError / ValueError: naming the file and what was expected.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'intrinsics file {path!r} does not exist')
    try:
        with open(path) as f:
            data = json.load(f)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ValueError(f'intrinsics file {path!r} is not JSON ({e})') from None
    if isinstance(data, dict) and {'fx', 'fy', 'cx', 'cy'} <= set(data):
        K = pinhole(*(float(data[k]) for k in ('fx', 'fy', 'cx', 'cy')))
    else:
        try:
            K = np.asarray(data, np.float64)
        except (TypeError, ValueError):
            K = np.zeros(0)
    if K.shape != (3, 3) or not np.isfinite(K).all() or K[0, 0] <= 0 or K[1, 1] <= 0 \
            or not np.allclose(K[2], [0, 0, 1]):
        raise ValueError(f'intrinsics file {path!r} must hold a 3x3 matrix [[fx, 0, cx], '
                         '[0, fy, cy], [0, 0, 1]] with fx, fy > 0, or {"fx", "fy", "cx", '
                         f'"cy"}} (pixels); got {data!r:.200}')
    return K


def exif_focal_px(path: str, width: int, height: int) -> Optional[float]:
    """The focal length in pixels from a JPEG's EXIF, or None: from the 35 mm-equivalent
    focal length (scaled by the image diagonal over the full frame's), else from the focal
    length in mm and the focal plane's resolution."""
    try:
        from PIL import Image
        with Image.open(path) as im:
            exif = im.getexif()
            sub = exif.get_ifd(EXIF_SUB_IFD) if exif else {}
    except Exception:  # noqa: BLE001  (not an image PIL reads, no EXIF)
        return None
    tags = dict(exif or {})
    tags.update(sub or {})
    f35 = tags.get(EXIF_FOCAL_35MM)
    if f35 and float(f35) > 0:
        return float(f35) * float(np.hypot(width, height)) / FULL_FRAME_DIAGONAL_MM
    f_mm, xres, unit = (tags.get(k) for k in (EXIF_FOCAL_MM, EXIF_PLANE_X_RES,
                                              EXIF_PLANE_UNIT))
    if f_mm and xres and float(f_mm) > 0 and float(xres) > 0 and unit in PLANE_UNIT_MM:
        return float(f_mm) * float(xres) / PLANE_UNIT_MM[unit]
    return None


def resolve_intrinsics(width: int, height: int, image_path: Optional[str] = None,
                       intrinsics: Optional[str] = None, focal: Optional[float] = None,
                       camera: Optional[np.ndarray] = None) -> Tuple[np.ndarray, str]:
    """``(K (3, 3), source)``: ``camera`` or an ``intrinsics`` file (``'intrinsics'``), a
    focal length in pixels with the principal point at the centre (``'focal'``), the
    photo's EXIF focal length (``'exif'``), else the default guess (``'default'``)."""
    from hoverse.apis.inference import default_camera
    if camera is not None:
        return np.asarray(camera, np.float64), 'intrinsics'
    if intrinsics is not None:
        return read_intrinsics_file(intrinsics), 'intrinsics'
    if focal is not None:
        if not focal > 0:
            raise ValueError(f'focal length must be > 0 pixels, got {focal}')
        return pinhole(focal, focal, width / 2, height / 2), 'focal'
    if image_path is not None:
        f = exif_focal_px(image_path, width, height)
        if f is not None:
            return pinhole(f, f, width / 2, height / 2), 'exif'
    return default_camera(height, width), 'default'


def intrinsics_argument(values) -> dict:
    """The demos' ``--intrinsics FILE`` or ``--intrinsics FX FY CX CY`` as keyword
    arguments of :func:`resolve_intrinsics` (``{}`` when not given)."""
    if not values:
        return {}
    if len(values) == 1:
        return dict(intrinsics=values[0])
    if len(values) == 4:
        try:
            return dict(camera=pinhole(*(float(v) for v in values)))
        except ValueError:
            pass
    raise ValueError(f'--intrinsics takes a JSON file or four numbers FX FY CX CY (pixels), '
                     f'got {" ".join(values)}')


def add_camera_args(parser, aliases=(), default_help: str = 'the EXIF focal length, else '
                    'focal = the longer image side, centred') -> None:
    """The demos' ``--intrinsics`` (with ``aliases``) and ``--focal``."""
    parser.add_argument('--intrinsics', *aliases, nargs='+', metavar='FILE | FX FY CX CY',
                        help='the camera: a JSON file with a 3x3 matrix, or four numbers '
                        f'(pixels); default: {default_help} (hoverse.apis.camera_intrinsics)')
    parser.add_argument('--focal', type=float, metavar='PX',
                        help='focal length in pixels, principal point at the centre')
