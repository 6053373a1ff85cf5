"""A detector that returns given boxes: for tests, scripted runs and known crops."""
from typing import List, Optional, Sequence

import numpy as np

from hoverse.registry import HAND_DETECTORS

from .base import BaseHandDetector, HandDetection


@HAND_DETECTORS.register_module()
class FixedBoxDetector(BaseHandDetector):
    """Returns ``boxes`` (x0 y0 x1 y1 pixels, each a hand) for every image, clipped to it;
    ``boxes=[]`` finds nothing.

    Args:
        boxes: hand boxes in pixels. scores / handedness: one per box (default 1.0,
            ``'right'``).
    """

    def __init__(self, boxes: Sequence[Sequence[float]],
                 scores: Optional[Sequence[float]] = None,
                 handedness: Optional[Sequence[str]] = None) -> None:
        self.boxes = [np.asarray(b, np.float64).reshape(4) for b in boxes]
        self.scores = list(scores) if scores is not None else [1.0] * len(self.boxes)
        self.handedness = list(handedness) if handedness is not None else \
            ['right'] * len(self.boxes)
        if not len(self.scores) == len(self.handedness) == len(self.boxes):
            raise ValueError(f'FixedBoxDetector: {len(self.boxes)} boxes, {len(self.scores)} '
                             f'scores, {len(self.handedness)} handedness labels; give one each')
        bad = [h for h in self.handedness if h not in ('right', 'left')]
        if bad:
            raise ValueError(f"FixedBoxDetector: handedness must be 'right' or 'left', got {bad}")

    def detect(self, image: np.ndarray) -> List[HandDetection]:
        h, w = self.check_image(image).shape[:2]
        out = []
        for box, score, side in zip(self.boxes, self.scores, self.handedness):
            b = np.clip(box, 0, [w, h, w, h])
            if b[2] - b[0] >= 1 and b[3] - b[1] >= 1:
                out.append(HandDetection(b, float(score), side, attempt='fixed'))
        return sorted(out, key=lambda d: -d.score)
