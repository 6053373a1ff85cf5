"""Hand-object boxes through a video, each frame's box confirmed by the image itself."""
from typing import Optional, Tuple

import numpy as np

from hoverse.geometry.boxes import (HandObjectBoxPrior, box_center, box_side, hand_object_box,
                                    points_box)
from hoverse.geometry.camera import crop_points_to_image

#: how the tracker picks a frame's box between detections (:class:`HandObjectTracker`)
TRACK_MODES = ('landmarks', 'model')
#: where a frame's box came from (the video demo's per-frame ``box_source``)
BOX_SOURCES = ('given', 'detection', 'tracking', 'kept')


def predicted_box(sample, image_shape, hand_only: bool = False) -> Optional[np.ndarray]:
    """The box ``(4,)`` around a prediction's hand joints and (unless ``hand_only``) object
    box corners in the original image (crop pixels mapped back through
    ``metainfo['crop_affine']``), clipped to the ``(H, W)`` image; None when it leaves the
    image."""
    from hoverse.utils.arrays import to_numpy
    p = sample.pred_instances
    pts = [to_numpy(p.keypoints_2d)[0]]
    if not hand_only and 'obj_corners_2d' in p:
        pts.append(to_numpy(p.obj_corners_2d)[0])
    uv = crop_points_to_image(np.concatenate(pts).astype(np.float64),
                              sample.metainfo['crop_affine'])
    h, w = image_shape[:2]
    clipped = np.clip(points_box(uv), 0, [w, h, w, h])
    if clipped[2] - clipped[0] < 2 or clipped[3] - clipped[1] < 2:
        return None
    return clipped


class HandObjectTracker:
    """Picks each video frame's hand-object box (the detector's hand box enlarged by
    ``prior``), from evidence in that frame.

    ``mode='landmarks'`` (default): the hand the detector's video mode follows
    (:meth:`BaseHandDetector.track`: for MediaPipe, its landmark model run on the previous
    frame's hand region, its palm detector again when that loses the hand). A box that
    follows the image cannot drift with the reconstruction's errors.

    ``mode='model'``: the box around the previous frame's projected hand joints and object
    corners (:meth:`update`), confirmed on each frame by the detector's hand: when no hand
    is found, or the centres of the two hand boxes lie more than ``max_offset`` hand sides
    apart, the detector runs afresh and its box replaces the model's.

    Either way the full detector (:meth:`BaseHandDetector.detect`, with its retries) runs
    on the first frame, when tracking finds no hand, and every ``redetect_every`` frames
    (0: never on a schedule). A frame where nothing is found keeps the last box
    (``'kept'``).

    Counters: ``frames``; ``detector_runs``, the frames on which a hand detector ran
    (the full detector, or the video mode's palm detector), as against the frames its
    landmark model followed the hand alone; ``sources``, how many boxes came from
    each of :data:`BOX_SOURCES`.

    Args:
        detector: a ``BaseHandDetector``, or None with ``box`` fixed for every frame.
        box: a fixed hand-object box (no detection, no tracking).
    """

    def __init__(self, detector=None, box=None, prior: HandObjectBoxPrior = HandObjectBoxPrior(),
                 mode: str = 'landmarks', redetect_every: int = 0,
                 max_offset: float = 0.5) -> None:
        if detector is None and box is None:
            raise ValueError('HandObjectTracker needs a detector or a fixed box')
        if mode not in TRACK_MODES:
            raise ValueError(f'HandObjectTracker: mode must be one of {TRACK_MODES}, got '
                             f'{mode!r}')
        if not isinstance(redetect_every, int) or redetect_every < 0:
            raise ValueError(f'HandObjectTracker: redetect_every must be an integer >= 0 '
                             f'(0: only when lost), got {redetect_every!r}')
        if not max_offset > 0:
            raise ValueError(f'HandObjectTracker: max_offset must be > 0 (hand sides), got '
                             f'{max_offset!r}')
        self.detector, self.fixed = detector, None if box is None else np.asarray(box, float)
        self.prior, self.mode = prior, mode
        self.redetect_every, self.max_offset = redetect_every, max_offset
        self.box: Optional[np.ndarray] = None
        self.hand_box: Optional[np.ndarray] = None  # the evidence's hand box, last frame
        self.evidence = None  # the HandDetection behind the last box
        self.handedness = 'right'
        self.model_box: Optional[np.ndarray] = None
        self.model_hand_box: Optional[np.ndarray] = None
        self.frames, self.detector_runs = 0, 0
        self.sources = {s: 0 for s in BOX_SOURCES}

    def next_box(self, image: np.ndarray) -> Tuple[Optional[np.ndarray], str]:
        """``(box or None, source)`` for this frame, ``source`` one of
        :data:`BOX_SOURCES`; ``(None, 'kept')`` before any hand was found."""
        self.frames += 1
        if self.fixed is not None:
            return self._emit(self.fixed, 'given')
        due = self.redetect_every and (self.frames - 1) % self.redetect_every == 0
        if self.box is None or due:
            return self._detect(image)
        found = self.detector.track(image)
        if found is not None and found.attempt != 'tracking':
            self.detector_runs += 1  # the detector's palm detection ran inside track()
        if found is None:
            return self._detect(image)
        if self.mode == 'model':
            if self.model_box is None or not self._agrees(found.bbox):
                return self._detect(image)
            self.evidence, self.hand_box = found, np.asarray(found.bbox, float)
            return self._emit(self.model_box, 'tracking')
        return self._take(found, image.shape,
                          'tracking' if found.attempt == 'tracking' else 'detection')

    def update(self, sample, image_shape) -> None:
        """Record the reconstruction of the frame just cropped (``mode='model'`` follows
        it; the other mode ignores it)."""
        if self.fixed is not None:
            return
        self.model_box = predicted_box(sample, image_shape)
        self.model_hand_box = predicted_box(sample, image_shape, hand_only=True)

    def _agrees(self, hand_box: np.ndarray) -> bool:
        """Whether the model's last hand box lies within ``max_offset`` sides of
        ``hand_box`` (the detector's, this frame)."""
        if self.model_hand_box is None:
            return False
        gap = np.linalg.norm(box_center(self.model_hand_box) - box_center(hand_box))
        return gap <= self.max_offset * max(box_side(hand_box), 1.0)

    def _detect(self, image: np.ndarray) -> Tuple[Optional[np.ndarray], str]:
        self.detector_runs += 1
        found = self.detector.detect(image)
        if not found:
            return self._emit(self.box, 'kept')
        return self._take(found[0], image.shape, 'detection')

    def _take(self, found, image_shape, source: str) -> Tuple[np.ndarray, str]:
        self.evidence, self.hand_box = found, np.asarray(found.bbox, float)
        self.handedness = found.handedness
        return self._emit(hand_object_box(found.bbox, image_shape, self.prior), source)

    def _emit(self, box: Optional[np.ndarray], source: str
              ) -> Tuple[Optional[np.ndarray], str]:
        self.box = box
        self.sources[source] += 1
        return box, source
