"""Hand detectors for in-the-wild inference: they find the hand, and
:func:`hoverse.geometry.boxes.hand_object_box` turns its box into the hand-object crop
the model expects.

Detectors are registered in ``HAND_DETECTORS`` and built from config, so another detector
plugs in with ``custom_imports`` and ``dict(type='MyDetector', ...)``.
"""
from .base import BaseHandDetector, HandDetection, NoHandFoundError
from .builder import add_detector_args, build_hand_detector
from .fixed_box import FixedBoxDetector
from .mediapipe_hands import MediaPipeHandDetector

__all__ = ['BaseHandDetector', 'HandDetection', 'NoHandFoundError', 'FixedBoxDetector',
           'MediaPipeHandDetector',
           'add_detector_args', 'build_hand_detector']
