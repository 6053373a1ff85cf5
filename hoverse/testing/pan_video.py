"""A camera pan over a still photo: a video whose true hand box is known in every frame."""
from typing import List, Tuple

import numpy as np


def pan_frames(image: np.ndarray, num_frames: int = 30, window: Tuple[int, int] = (480, 360)
               ) -> Tuple[List[np.ndarray], np.ndarray]:
    """``window = (w, h)`` crops of ``image (H, W, 3)`` sliding left to right at mid
    height, evenly over ``num_frames`` frames. Returns the frames and their top-left
    offsets ``(num_frames, 2)`` (x, y pixels of ``image``): a point ``p`` of the photo
    lies at ``p - offset[k]`` in frame ``k``."""
    h, w = image.shape[:2]
    ww, wh = window
    if ww > w or wh > h:
        raise ValueError(f'pan window {ww}x{wh} is larger than the {w}x{h} image')
    xs = np.linspace(0, w - ww, num_frames).round().astype(int)
    y0 = (h - wh) // 2
    frames = [np.ascontiguousarray(image[y0:y0 + wh, x:x + ww]) for x in xs]
    return frames, np.stack([xs, np.full_like(xs, y0)], 1).astype(np.float64)


def write_video(frames: List[np.ndarray], path: str, fps: float = 15.0) -> str:
    """Write RGB ``frames`` as an mp4 (OpenCV's ``mp4v``)."""
    import cv2
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), fps, (w, h))
    if not writer.isOpened():
        raise OSError(f'cannot write the video {path!r}')
    for f in frames:
        writer.write(np.ascontiguousarray(f[..., ::-1]))
    writer.release()
    return path


def pan_truth_boxes(first_box: np.ndarray, offsets: np.ndarray, image_shape,
                    prior=None) -> List[np.ndarray]:
    """The true hand-object box of every pan frame: ``first_box`` (the hand box found in
    frame 0, its pixels) moved with the pan and grown by ``prior`` (default
    ``HandObjectBoxPrior()``) in frames of ``image_shape``."""
    from hoverse.geometry.boxes import HandObjectBoxPrior, hand_object_box
    hand_photo = np.asarray(first_box, np.float64) + np.tile(offsets[0], 2)
    return [hand_object_box(hand_photo - np.tile(off, 2), image_shape,
                            prior or HandObjectBoxPrior()) for off in offsets]


def on_box(box, truth: np.ndarray) -> bool:
    """Whether ``box``'s centre lies within half a side of ``truth``'s (False for None)."""
    from hoverse.geometry.boxes import box_center, box_side
    if box is None:
        return False
    return bool(np.linalg.norm(box_center(box) - box_center(truth)) <= box_side(truth) / 2)
