"""Hand-object boxes through a video: detect once, then follow the reconstruction."""
from typing import Optional, Tuple

import numpy as np

from hoverse.detectors import HandObjectBoxPrior, hand_object_box
from hoverse.detectors.mediapipe_hands import box_iou


def predicted_box(sample, image_shape) -> Optional[np.ndarray]:
    """The box ``(4,)`` around a prediction's hand joints and object box corners in the
    original image (crop pixels mapped back through ``metainfo['crop_affine']``), clipped
    to the ``(H, W)`` image; None when it leaves the image."""
    from hoverse.utils.arrays import to_numpy
    from hoverse.visualization.hand_object_visualizer import crop_points_to_image
    p = sample.pred_instances
    pts = [to_numpy(p.keypoints_2d)[0]]
    if 'obj_corners_2d' in p:
        pts.append(to_numpy(p.obj_corners_2d)[0])
    uv = crop_points_to_image(np.concatenate(pts).astype(np.float64),
                              sample.metainfo['crop_affine'])
    h, w = image_shape[:2]
    box = np.array([*uv.min(0), *uv.max(0)])
    clipped = np.clip(box, 0, [w, h, w, h])
    if clipped[2] - clipped[0] < 2 or clipped[3] - clipped[1] < 2:
        return None
    return clipped


class HandObjectTracker:
    """Picks each frame's hand-object box: the detector's (enlarged by ``prior``) on the
    first frame and whenever tracking is lost, else the box around the previous frame's
    projected hand and object.

    Tracking is lost when the previous prediction leaves the image, when its box overlaps
    the box it was predicted from by less than ``min_iou`` (the crop drifted off the hand),
    or every ``redetect_every`` frames (0: never on a schedule). A re-detection that finds
    nothing keeps the tracked box.

    Args:
        detector: a ``BaseHandDetector``, or None with ``box`` fixed for every frame.
        box: a fixed hand-object box (no detection, no tracking).
    """

    def __init__(self, detector=None, box=None, prior: HandObjectBoxPrior = HandObjectBoxPrior(),
                 min_iou: float = 0.3, redetect_every: int = 0) -> None:
        if detector is None and box is None:
            raise ValueError('HandObjectTracker needs a detector or a fixed box')
        self.detector, self.fixed = detector, None if box is None else np.asarray(box, float)
        self.prior, self.min_iou, self.redetect_every = prior, min_iou, redetect_every
        self.box: Optional[np.ndarray] = None
        self.handedness = 'right'
        self.lost, self.frames, self.detections = True, 0, 0

    def next_box(self, image: np.ndarray) -> Tuple[Optional[np.ndarray], bool]:
        """``(box or None, detected)`` for this frame; None: no hand yet."""
        self.frames += 1
        if self.fixed is not None:
            return self.fixed, False
        due = self.redetect_every and (self.frames - 1) % self.redetect_every == 0
        if self.lost or self.box is None or due:
            found = self.detector.detect(image)
            self.detections += 1
            if found:
                self.box = hand_object_box(found[0].bbox, image.shape, self.prior)
                self.handedness = found[0].handedness
                self.lost = False
                return self.box, True
        return self.box, False

    def update(self, sample, image_shape) -> None:
        """Follow the reconstruction of the frame just cropped with ``self.box``."""
        if self.fixed is not None or self.box is None:
            return
        nxt = predicted_box(sample, image_shape)
        if nxt is None or box_iou(nxt, self.box) < self.min_iou:
            self.lost = True
            return
        self.box = nxt
