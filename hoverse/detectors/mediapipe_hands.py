"""MediaPipe's palm detector and hand-landmark model (the optional ``detect`` extra)."""
import warnings
from typing import Dict, List, Optional, Tuple

import numpy as np

from hoverse.geometry.boxes import box_area, box_iou
from hoverse.registry import HAND_DETECTORS

from .base import BaseHandDetector, HandDetection

#: the release whose wheel bundles the palm-detection and landmark models used here
TESTED_MEDIAPIPE = '0.10.21'


def tile_windows(height: int, width: int, grid: int = 2, overlap: float = 0.25
                 ) -> List[Tuple[int, int, int, int]]:
    """``grid x grid`` windows ``(x0, y0, x1, y1)`` covering the image, each overlapping
    its neighbours by ``overlap`` of its size (a hand cut by one window is whole in another)."""
    tw = int(np.ceil(width / (grid - (grid - 1) * overlap)))
    th = int(np.ceil(height / (grid - (grid - 1) * overlap)))
    xs = np.linspace(0, width - tw, grid).round().astype(int)
    ys = np.linspace(0, height - th, grid).round().astype(int)
    return [(x, y, min(x + tw, width), min(y + th, height)) for y in ys for x in xs]


@HAND_DETECTORS.register_module()
class MediaPipeHandDetector(BaseHandDetector):
    """Hands found by MediaPipe (``mediapipe.solutions.hands``: palm detection, then 21
    landmarks; the box is the landmarks' bounding box).

    A hand whose palm the held object hides is often missed at the default threshold, so
    the detector tries, in order, until one finds a hand: the whole image at
    ``min_detection_confidence``; the whole image at ``retry_confidence``; ``tile_grid`` x
    ``tile_grid`` overlapping tiles, each upscaled to ``tile_size`` pixels, at
    ``retry_confidence`` (small hands). ``HandDetection.attempt`` says which. Hands come
    largest first: the hand holding the object is usually the nearest. ``score`` is
    MediaPipe's handedness confidence (the legacy API gives no presence score), so it says
    little about whether a box is a hand.

    MediaPipe's legacy API labels handedness as in a mirrored selfie; ``mirrored_input``
    (default False: photos and unmirrored cameras) swaps its labels so that ``'right'``
    means the person's right hand.

    :meth:`track` runs MediaPipe's video mode on one hand: its landmark model follows the
    hand from the previous frame's landmarks (``attempt='tracking'``), and its palm
    detector runs again only when the landmark model loses the hand (its presence score
    under ``tracking_confidence``; ``attempt='video-detect'``).

    Needs the detect extra: ``pip install --no-deps -r requirements/detect.txt`` (the
    set-up script installs it).
    """

    def __init__(self, min_detection_confidence: float = 0.5, retry_confidence: float = 0.2,
                 tile_grid: int = 2, tile_size: int = 512, max_num_hands: int = 2,
                 model_complexity: int = 1, mirrored_input: bool = False,
                 tracking_confidence: float = 0.5) -> None:
        try:
            import mediapipe as mp
        except ImportError as e:
            raise ImportError('MediaPipeHandDetector needs the detect extra: pip install '
                              '--no-deps -r requirements/detect.txt (mediapipe=='
                              f'{TESTED_MEDIAPIPE}); or pass --bbox. ({e})') from e
        if getattr(mp, '__version__', TESTED_MEDIAPIPE) != TESTED_MEDIAPIPE:
            warnings.warn(f'mediapipe {mp.__version__} is untested with hoverse (tested: '
                          f'{TESTED_MEDIAPIPE}); newer releases need a separate model '
                          'download for the legacy hands solution')
        self._mp = mp
        self.thresholds = (min_detection_confidence, retry_confidence)
        self.tile_grid, self.tile_size = tile_grid, tile_size
        self.max_num_hands, self.model_complexity = max_num_hands, model_complexity
        self.mirrored_input = mirrored_input
        self.tracking_confidence = tracking_confidence
        self._models: Dict[float, object] = {}
        self._video = None  # MediaPipe's video-mode graph, built on the first track()
        self._following = False  # whether the last track() call found a hand

    def _model(self, threshold: float):
        if threshold not in self._models:
            self._models[threshold] = self._mp.solutions.hands.Hands(
                static_image_mode=True, max_num_hands=self.max_num_hands,
                model_complexity=self.model_complexity, min_detection_confidence=threshold)
        return self._models[threshold]

    def _run(self, image: np.ndarray, threshold: float, attempt: str,
             offset=(0.0, 0.0), scale: float = 1.0) -> List[HandDetection]:
        return self._detections(self._model(threshold).process(image), image.shape, attempt,
                                offset, scale)

    def _detections(self, res, shape, attempt: str, offset=(0.0, 0.0),
                    scale: float = 1.0) -> List[HandDetection]:
        """MediaPipe's result for an image of ``shape`` as detections in the pixels of the
        image it was cut from (``offset`` and ``scale`` undo a tile's crop and resize)."""
        h, w = shape[:2]
        if not res.multi_hand_landmarks:
            return []
        out = []
        for lms, hd in zip(res.multi_hand_landmarks, res.multi_handedness):
            pts = np.array([(p.x * w, p.y * h) for p in lms.landmark]) / scale + offset
            label = hd.classification[0].label.lower()
            if not self.mirrored_input:
                label = 'right' if label == 'left' else 'left'
            out.append(HandDetection(np.array([*pts.min(0), *pts.max(0)]),
                                     float(hd.classification[0].score), label, pts, attempt))
        return out

    def _tiles(self, image: np.ndarray, threshold: float) -> List[HandDetection]:
        import cv2
        H, W = image.shape[:2]
        found: List[HandDetection] = []
        for x0, y0, x1, y1 in tile_windows(H, W, self.tile_grid):
            tile = image[y0:y1, x0:x1]
            s = self.tile_size / max(tile.shape[:2])
            big = cv2.resize(tile, None, fx=s, fy=s, interpolation=cv2.INTER_CUBIC)
            for d in self._run(np.ascontiguousarray(big), threshold, 'tiles', (x0, y0), s):
                if all(box_iou(d.bbox, f.bbox) < 0.3 for f in found):
                    found.append(d)
        return found

    def detect(self, image: np.ndarray) -> List[HandDetection]:
        img = self.check_image(image)
        low = self.thresholds[1]
        for attempt in (lambda: self._run(img, self.thresholds[0], 'default'),
                        lambda: self._run(img, low, 'low-threshold'),
                        lambda: self._tiles(img, low)):
            found = attempt()
            if found:
                return sorted(found, key=lambda d: -box_area(d.bbox))
        return []

    def track(self, image: np.ndarray) -> Optional[HandDetection]:
        img = self.check_image(image)
        if self._video is None:
            self._video = self._mp.solutions.hands.Hands(
                static_image_mode=False, max_num_hands=1,
                model_complexity=self.model_complexity,
                min_detection_confidence=self.thresholds[0],
                min_tracking_confidence=self.tracking_confidence)
        attempt = 'tracking' if self._following else 'video-detect'
        found = self._detections(self._video.process(img), img.shape, attempt)
        self._following = bool(found)
        return found[0] if found else None

    def reset_tracking(self) -> None:
        if self._video is not None:
            self._video.close()
        self._video, self._following = None, False

    def close(self) -> None:
        for m in self._models.values():
            m.close()
        self._models.clear()
        self.reset_tracking()
