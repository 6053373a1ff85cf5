import glob
import os.path as osp

import numpy as np
import pytest

from hoverse.detectors.mediapipe_hands import tile_windows
from hoverse.geometry.boxes import box_iou

REAL_IMAGES = osp.join(osp.dirname(__file__), '..', '..', '..', 'shared', 'real_images')


def test_tiles_cover_the_image_with_overlap():
    wins = tile_windows(428, 640, grid=2, overlap=0.25)
    assert len(wins) == 4
    covered = np.zeros((428, 640), bool)
    for x0, y0, x1, y1 in wins:
        covered[y0:y1, x0:x1] = True
    assert covered.all()
    (a, b) = wins[0], wins[1]
    assert a[2] - b[0] >= 0.25 * (a[2] - a[0]) - 1  # neighbours overlap by a quarter


def _detector():
    pytest.importorskip('mediapipe', reason='the detect extra is not installed '
                        '(pip install --no-deps -r requirements/detect.txt)')
    from hoverse.registry import HAND_DETECTORS
    return HAND_DETECTORS.build(dict(type='MediaPipeHandDetector'))


def test_blank_image_finds_no_hand_after_every_attempt():
    det = _detector()
    try:
        assert det.detect(np.full((240, 320, 3), 127, np.uint8)) == []
    finally:
        det.close()


@pytest.mark.skipif(not glob.glob(osp.join(REAL_IMAGES, 'handoccnet_fitting_input.jpg')),
                    reason='../shared/real_images is not on this machine')
def test_finds_the_right_hand_on_a_real_photo():
    import cv2
    det = _detector()
    img = cv2.imread(osp.join(REAL_IMAGES, 'handoccnet_fitting_input.jpg'))[..., ::-1].copy()
    try:
        found = det.detect(img)
    finally:
        det.close()
    assert found, 'no hand found on handoccnet_fitting_input.jpg'
    # the source's hand box: x 300-390, y 330-380 (a right hand gripping near a can)
    assert box_iou(found[0].bbox, np.array([300, 330, 390, 380])) > 0.4
    assert found[0].handedness == 'right' and found[0].keypoints.shape == (21, 2)
