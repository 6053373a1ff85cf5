import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData

from hoverse.apis.tracking import HandObjectTracker, predicted_box
from hoverse.detectors import FixedBoxDetector, HandDetection
from hoverse.detectors.base import BaseHandDetector
from hoverse.geometry.boxes import HandObjectBoxPrior, hand_object_box
from hoverse.structures import HandObjectDataSample

IMG = np.zeros((200, 300, 3), np.uint8)
PRIOR = HandObjectBoxPrior(scale=2.0, offset=(0, 0))
REAL_IMAGES = osp.join(osp.dirname(__file__), '..', '..', '..', 'shared', 'real_images')


def _sample(x0, y0, x1, y1):
    """A prediction whose joints span the box (crop = image: identity affine)."""
    kp = torch.tensor([[x0, y0], [x1, y1], [(x0 + x1) / 2, (y0 + y1) / 2]], dtype=torch.float32)
    s = HandObjectDataSample(metainfo=dict(crop_affine=np.array([[1.0, 0, 0], [0, 1, 0]])))
    s.pred_instances = InstanceData(keypoints_2d=kp[None])
    return s


class ScriptedDetector(BaseHandDetector):
    """Hands per frame from a script: ``track`` follows (attempt 'tracking') after a frame
    with a hand; ``detect`` returns the same frame's hand."""

    def __init__(self, boxes):
        self.boxes, self.k, self.detect_calls, self.following = list(boxes), -1, 0, False

    def _box(self):
        b = self.boxes[min(self.k, len(self.boxes) - 1)]
        return None if b is None else HandDetection(np.asarray(b, float), 1.0)

    def detect(self, image):
        self.detect_calls += 1
        d = self._box()
        return [] if d is None else [d]

    def track(self, image):
        self.k += 1
        d = self._box()
        if d is not None:
            d.attempt = 'tracking' if self.following else 'video-detect'
        self.following = d is not None
        return d


def test_predicted_box_maps_crop_points_and_clips():
    np.testing.assert_allclose(predicted_box(_sample(10, 20, 50, 60), IMG.shape), [10, 20, 50, 60])
    np.testing.assert_allclose(predicted_box(_sample(-10, 20, 50, 260), IMG.shape),
                               [0, 20, 50, 200])
    assert predicted_box(_sample(400, 300, 500, 350), IMG.shape) is None


def test_landmark_mode_follows_the_image_not_the_reconstruction():
    hands = [[100, 80, 140, 120], [104, 80, 144, 120], [108, 82, 148, 122], None,
             [112, 84, 152, 124]]
    det = ScriptedDetector(hands)
    tr = HandObjectTracker(det, prior=PRIOR)
    det.k = 0  # the first frame is detected, not tracked
    box, src = tr.next_box(IMG)
    np.testing.assert_allclose(box, [80, 60, 160, 140])
    assert src == 'detection' and tr.detector_runs == 1
    for k in (1, 2):
        tr.update(_sample(0, 0, 30, 30), IMG.shape)  # a wrong reconstruction: ignored
        box, src = tr.next_box(IMG)
        np.testing.assert_allclose(box, hand_object_box(hands[k], IMG.shape, PRIOR))
    assert src == 'tracking'
    # the landmark model loses the hand and the full detector finds none: the box is kept
    kept, src = tr.next_box(IMG)
    assert src == 'kept' and np.allclose(kept, box) and det.detect_calls == 2
    box, src = tr.next_box(IMG)  # found again by the video mode's palm detector
    assert src == 'detection'
    np.testing.assert_allclose(box, hand_object_box(hands[4], IMG.shape, PRIOR))
    # runs: the first detection, video-detect on frame 2 (not following yet), the full
    # detector on the lost frame, video-detect on the last
    assert tr.detector_runs == 4 and tr.frames == 5
    assert tr.sources == dict(given=0, detection=3, tracking=1, kept=1)


def test_model_mode_follows_the_reconstruction_until_the_detector_disagrees():
    hand = [100, 80, 140, 120]  # the hand stays put; side 40
    det = ScriptedDetector([hand] * 6)
    tr = HandObjectTracker(det, prior=PRIOR, mode='model', max_offset=0.5)
    det.k = 0
    tr.next_box(IMG)
    tr.update(_sample(105, 80, 145, 120), IMG.shape)  # 5 px off: agrees
    box, src = tr.next_box(IMG)
    assert src == 'tracking'
    np.testing.assert_allclose(box, [105, 80, 145, 120])
    tr.update(_sample(125, 80, 165, 120), IMG.shape)  # 25 px off > 0.5 sides: re-detect
    box, src = tr.next_box(IMG)
    assert src == 'detection' and det.detect_calls == 2
    np.testing.assert_allclose(box, hand_object_box(hand, IMG.shape, PRIOR))


def test_schedule_redetects_and_nothing_found_gives_no_box():
    tr = HandObjectTracker(FixedBoxDetector([]))
    assert tr.next_box(IMG) == (None, 'kept')
    tr = HandObjectTracker(FixedBoxDetector([[100, 80, 140, 120]]), redetect_every=2)
    det = tr.detector
    calls = []
    det.detect = (lambda f: lambda image: calls.append(1) or f(image))(det.detect)
    for _ in range(5):
        tr.next_box(IMG)
    # frames 1, 3, 5 on the schedule; frames 2 and 4 through track(), which detects afresh
    # for a detector without a video mode (each counted as a detector run)
    assert len(calls) == 5 and tr.detector_runs == 5


def test_fixed_box_and_bad_arguments():
    tr = HandObjectTracker(box=[0, 0, 10, 10])
    box, src = tr.next_box(IMG)
    assert box.tolist() == [0, 0, 10, 10] and src == 'given'
    with pytest.raises(ValueError, match='detector or a fixed box'):
        HandObjectTracker()
    with pytest.raises(ValueError, match='mode must be one of'):
        HandObjectTracker(box=[0, 0, 1, 1], mode='optical-flow')
    with pytest.raises(ValueError, match='redetect_every'):
        HandObjectTracker(box=[0, 0, 1, 1], redetect_every=-1)


def drifting_prediction(box, bias_px: float):
    """What a model biased by ``bias_px`` upwards returns for the crop ``box``: its joints
    and object corners span the crop moved up (crop pixels = image pixels)."""
    x0, y0, x1, y1 = np.asarray(box, float) - [0, bias_px, 0, bias_px]
    return _sample(x0, y0, x1, y1)


@pytest.mark.skipif(not osp.isfile(osp.join(REAL_IMAGES, 'handoccnet_fitting_input.jpg')),
                    reason='../shared/real_images is not on this machine')
@pytest.mark.parametrize('mode', ['landmarks', 'model'])
def test_pan_with_a_drifting_model_stays_on_the_hand(mode):
    """A 30-frame pan over the lab photo; the reconstruction is biased 4 px up in every
    crop, so a box that follows it drifts 4 px further each frame. The tracked box must
    stay within half a box side of the truth (the first frame's detection moved with the
    pan) in at least 95 % of frames (before image evidence checked the box, it drifted off
    the hand by frame 20)."""
    pytest.importorskip('mediapipe', reason='the detect extra is not installed '
                        '(pip install --no-deps -r requirements/detect.txt)')
    import cv2

    from hoverse.detectors import MediaPipeHandDetector
    from hoverse.testing.pan_video import on_box, pan_frames, pan_truth_boxes
    photo = cv2.imread(osp.join(REAL_IMAGES, 'handoccnet_fitting_input.jpg'))[..., ::-1]
    frames, offsets = pan_frames(photo, 30)
    det = MediaPipeHandDetector()
    try:
        first = det.detect(frames[0])
        assert first, 'no hand found in the first frame of the pan'
        truths = pan_truth_boxes(first[0].bbox, offsets, frames[0].shape)
        tracker = HandObjectTracker(det, **({} if mode == 'landmarks' else dict(mode=mode)))
        on_hand = []
        for frame, truth in zip(frames, truths):
            box, _ = tracker.next_box(frame)
            on_hand.append(on_box(box, truth))
            tracker.update(drifting_prediction(box, 4.0), frame.shape)
    finally:
        det.close()
    assert np.mean(on_hand) >= 0.95, f'on the hand in {np.mean(on_hand):.0%} of frames'
