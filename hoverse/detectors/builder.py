"""Detectors by name, for the demos' command lines."""
import argparse
from typing import Optional

from hoverse.registry import HAND_DETECTORS

from .base import BaseHandDetector


def add_detector_args(parser: argparse.ArgumentParser) -> None:
    """``--detector`` and ``--hand``, as both demos take them."""
    parser.add_argument('--detector', default='mediapipe',
                        help="'mediapipe', a registered HAND_DETECTORS type, or 'none' (the "
                        'whole image is the crop)')
    parser.add_argument('--hand', choices=['auto', 'right', 'left'], default='auto',
                        help="which hand (auto: the detector's handedness; right without one)")


def build_hand_detector(name: Optional[str]) -> Optional[BaseHandDetector]:
    """``'mediapipe'`` (MediaPipeHandDetector), any registered ``HAND_DETECTORS`` type, or
    ``'none'`` / None (no detector).

    Raises:
        ImportError: the detector's package is not installed.
        KeyError / TypeError / ValueError: an unknown type or arguments it needs.
    """
    if name in (None, 'none'):
        return None
    return HAND_DETECTORS.build(dict(type='MediaPipeHandDetector' if name == 'mediapipe'
                                     else name))
