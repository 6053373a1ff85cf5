import json

import numpy as np
import pytest
from PIL import Image

from hoverse.apis.camera_intrinsics import (FULL_FRAME_DIAGONAL_MM, exif_focal_px,
                                            intrinsics_argument, read_intrinsics_file,
                                            resolve_intrinsics)


def _jpeg(path, exif_tags=None, size=(400, 300)):
    img = Image.new('RGB', size, (120, 80, 60))
    exif = Image.Exif()
    sub = {}
    for k, v in (exif_tags or {}).items():
        sub[k] = v
    if sub:
        exif.get_ifd(0x8769).update(sub)
    img.save(path, exif=exif)
    return str(path)


def test_exif_35mm_equivalent_focal_scales_with_the_image_diagonal(tmp_path):
    path = _jpeg(tmp_path / 'a.jpg', {41989: 26})  # a phone's main camera, 26 mm eq.
    f = exif_focal_px(path, 400, 300)
    assert f == pytest.approx(26 * 500 / FULL_FRAME_DIAGONAL_MM)
    K, source = resolve_intrinsics(400, 300, path)
    assert source == 'exif' and K[0, 0] == pytest.approx(f) and K[0, 2] == 200


def test_exif_focal_mm_with_the_focal_plane_resolution(tmp_path):
    # 4.2 mm lens, 1000 pixels per centimetre of sensor: 420 px
    path = _jpeg(tmp_path / 'b.jpg', {37386: 4.2, 41486: 1000.0, 41488: 3})
    assert exif_focal_px(path, 400, 300) == pytest.approx(420.0)


def test_priority_and_the_default(tmp_path):
    plain = _jpeg(tmp_path / 'c.jpg')
    K, source = resolve_intrinsics(400, 300, plain)
    assert source == 'default' and K[0, 0] == 400 and K[1, 2] == 150
    exif = _jpeg(tmp_path / 'd.jpg', {41989: 26})
    assert resolve_intrinsics(400, 300, exif, focal=555.0)[1] == 'focal'
    assert resolve_intrinsics(400, 300, exif, focal=555.0)[0][1, 1] == 555.0
    f = tmp_path / 'K.json'
    f.write_text(json.dumps({'fx': 610, 'fy': 600, 'cx': 190, 'cy': 140}))
    K, source = resolve_intrinsics(400, 300, exif, intrinsics=str(f), focal=555.0)
    assert source == 'intrinsics' and K[0, 0] == 610 and K[1, 2] == 140


def test_intrinsics_files_and_arguments_fail_clearly(tmp_path):
    f = tmp_path / 'K.json'
    f.write_text(json.dumps([[500, 0, 320], [0, 500, 240], [0, 0, 1]]))
    np.testing.assert_allclose(read_intrinsics_file(str(f))[0], [500, 0, 320])
    f.write_text(json.dumps([[500, 0], [0, 500]]))
    with pytest.raises(ValueError, match='K.json.*3x3'):
        read_intrinsics_file(str(f))
    f.write_text('not json')
    with pytest.raises(ValueError, match='not JSON'):
        read_intrinsics_file(str(f))
    with pytest.raises(FileNotFoundError, match='missing.json'):
        read_intrinsics_file(str(tmp_path / 'missing.json'))
    assert intrinsics_argument(['k.json']) == dict(intrinsics='k.json')
    assert intrinsics_argument(['500', '500', '320', '240'])['camera'][0, 2] == 320
    with pytest.raises(ValueError, match='FX FY CX CY'):
        intrinsics_argument(['500', '500'])
    with pytest.raises(ValueError, match='> 0'):
        resolve_intrinsics(400, 300, focal=-3.0)
