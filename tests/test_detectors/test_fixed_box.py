import numpy as np
import pytest

from hoverse.detectors import FixedBoxDetector, HandDetection
from hoverse.registry import HAND_DETECTORS


def test_built_from_config_clips_and_sorts():
    det = HAND_DETECTORS.build(dict(type='FixedBoxDetector',
                                    boxes=[[-10, 5, 40, 60], [100, 100, 120, 130]],
                                    scores=[0.4, 0.9], handedness=['left', 'right']))
    found = det.detect(np.zeros((140, 115, 3), np.uint8))
    assert [d.score for d in found] == [0.9, 0.4]
    assert found[0].bbox.tolist() == [100, 100, 115, 130]
    assert found[1].bbox.tolist() == [0, 5, 40, 60] and found[1].handedness == 'left'
    assert isinstance(found[0], HandDetection) and found[0].to_dict()['attempt'] == 'fixed'


def test_box_outside_the_image_and_empty_list_find_nothing():
    img = np.zeros((50, 50, 3), np.uint8)
    assert FixedBoxDetector(boxes=[[60, 60, 80, 80]]).detect(img) == []
    assert FixedBoxDetector(boxes=[]).detect(img) == []


def test_bad_arguments_and_images_are_named():
    with pytest.raises(ValueError, match='2 boxes, 1 scores'):
        FixedBoxDetector(boxes=[[0, 0, 1, 1], [0, 0, 2, 2]], scores=[1.0])
    with pytest.raises(ValueError, match="'right' or 'left'"):
        FixedBoxDetector(boxes=[[0, 0, 1, 1]], handedness=['Right'])
    with pytest.raises(ValueError, match=r'RGB uint8 image \(H, W, 3\)'):
        FixedBoxDetector(boxes=[]).detect(np.zeros((10, 10), np.float32))
