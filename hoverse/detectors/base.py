"""What every hand detector returns, and its interface."""
from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np


class NoHandFoundError(RuntimeError):
    """No hand was found in an image (after every retry the detector has)."""


@dataclass
class HandDetection:
    """One detected hand.

    Attributes:
        bbox: ``(4,)`` x0 y0 x1 y1, pixels of the image given to the detector (the hand
            only, not the held object).
        score: the detector's confidence in [0, 1].
        handedness: ``'right'`` or ``'left'``, as seen in the (unmirrored) image.
        keypoints: ``(21, 2)`` pixels when the detector gives landmarks, else None.
        attempt: which of the detector's tries found it (e.g. ``'default'``,
            ``'low-threshold'``, ``'tiles'``).
    """
    bbox: np.ndarray
    score: float
    handedness: str = 'right'
    keypoints: Optional[np.ndarray] = None
    attempt: str = 'default'
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready fields (``keypoints``: the detector's own order, image pixels)."""
        return dict(bbox=[float(v) for v in self.bbox], score=float(self.score),
                    handedness=self.handedness, attempt=self.attempt,
                    keypoints=None if self.keypoints is None else
                    np.asarray(self.keypoints, float).round(2).tolist())


class BaseHandDetector:
    """``detect(image (H, W, 3) RGB uint8) -> List[HandDetection]``, best first; an empty
    list when nothing is found."""

    def detect(self, image: np.ndarray) -> List[HandDetection]:
        raise NotImplementedError

    def track(self, image: np.ndarray) -> Optional[HandDetection]:
        """The hand in the next frame of a video, found in ``image`` itself (the evidence
        that keeps a tracker on the hand), or None. A detector with a video mode follows
        the hand from the previous call; this default detects afresh and returns the best
        hand. ``HandDetection.attempt`` is ``'tracking'`` when the hand was followed from
        the previous frame without a new detection."""
        found = self.detect(image)
        return found[0] if found else None

    def reset_tracking(self) -> None:
        """Forget the hand that :meth:`track` follows (a new video)."""

    def close(self) -> None:
        """Free what the detector holds (models, sessions)."""

    @staticmethod
    def check_image(image: np.ndarray) -> np.ndarray:
        img = np.asarray(image)
        if img.ndim != 3 or img.shape[2] != 3 or img.dtype != np.uint8 or min(img.shape[:2]) < 2:
            raise ValueError(f'a hand detector takes an RGB uint8 image (H, W, 3), got '
                             f'{img.dtype} {img.shape}')
        return np.ascontiguousarray(img)
