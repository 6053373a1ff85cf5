import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData

from hoverse.apis.tracking import HandObjectTracker, predicted_box
from hoverse.detectors import FixedBoxDetector, HandObjectBoxPrior
from hoverse.structures import HandObjectDataSample

IMG = np.zeros((200, 300, 3), np.uint8)


def _sample(x0, y0, x1, y1):
    """A prediction whose joints span the box (crop = image: identity affine)."""
    kp = torch.tensor([[x0, y0], [x1, y1], [(x0 + x1) / 2, (y0 + y1) / 2]], dtype=torch.float32)
    s = HandObjectDataSample(metainfo=dict(crop_affine=np.array([[1.0, 0, 0], [0, 1, 0]])))
    s.pred_instances = InstanceData(keypoints_2d=kp[None])
    return s


def test_predicted_box_maps_crop_points_and_clips():
    np.testing.assert_allclose(predicted_box(_sample(10, 20, 50, 60), IMG.shape), [10, 20, 50, 60])
    np.testing.assert_allclose(predicted_box(_sample(-10, 20, 50, 260), IMG.shape),
                               [0, 20, 50, 200])
    assert predicted_box(_sample(400, 300, 500, 350), IMG.shape) is None


def test_detects_once_then_follows_and_redetects_when_lost():
    det = FixedBoxDetector([[100, 80, 140, 120]], handedness=['left'])
    tr = HandObjectTracker(det, prior=HandObjectBoxPrior(scale=2.0, offset=(0, 0)))
    box, detected = tr.next_box(IMG)
    np.testing.assert_allclose(box, [80, 60, 160, 140])
    assert detected and tr.handedness == 'left' and tr.detections == 1
    tr.update(_sample(85, 65, 165, 145), IMG.shape)  # moved a little: followed
    box, detected = tr.next_box(IMG)
    np.testing.assert_allclose(box, [85, 65, 165, 145])
    assert not detected and tr.detections == 1
    tr.update(_sample(200, 150, 230, 190), IMG.shape)  # jumped away: lost
    box, detected = tr.next_box(IMG)
    assert detected and tr.detections == 2
    np.testing.assert_allclose(box, [80, 60, 160, 140])


def test_lost_without_a_detection_keeps_the_box_and_schedule_redetects():
    tr = HandObjectTracker(FixedBoxDetector([]), redetect_every=0)
    assert tr.next_box(IMG) == (None, False)
    tr = HandObjectTracker(FixedBoxDetector([[100, 80, 140, 120]]), redetect_every=2)
    runs = []
    for _ in range(5):
        tr.next_box(IMG)
        runs.append(tr.detections)
    assert runs == [1, 1, 2, 2, 3]


def test_fixed_box_needs_no_detector():
    tr = HandObjectTracker(box=[0, 0, 10, 10])
    box, detected = tr.next_box(IMG)
    assert box.tolist() == [0, 0, 10, 10] and not detected
    with pytest.raises(ValueError, match='detector or a fixed box'):
        HandObjectTracker()
