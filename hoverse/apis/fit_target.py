"""Which 2D joints the demos' test-time hand fit aims at (``--fit-to``).

``model``: D-BFAM's own 2D joints (a network trained on synthetic hands); ``landmarks``:
the hand detector's 21 landmarks (MediaPipe's landmark model, trained on real hands),
mapped to hoverse's joint order and into the crop; ``none``: no fit, the regression as it
is. A frame without landmarks (a fixed box, a frame the detector lost) falls back to the
model's joints; :func:`fit_evidence_source` says which a frame used.
"""
from typing import Optional

import numpy as np

from hoverse.hand_models.joint_orders import CANONICAL_FROM_OPENPOSE, NUM_JOINTS

FIT_TARGETS = ('none', 'model', 'landmarks')


def set_fit_target(model, target: str, fitter: Optional[dict] = None) -> None:
    """Switch the model's test-time hand fit for ``target`` (:data:`FIT_TARGETS`): off for
    ``'none'``; on for the others, with the config's fitter or ``fitter`` (default
    ``HandKeypointFitter`` with its defaults).

    Raises:
        ValueError: an unknown target, or a fit without 2D joints to aim at (``'model'``
            on a model without D-BFAM's keypoint heads).
    """
    if target not in FIT_TARGETS:
        raise ValueError(f'fit target must be one of {FIT_TARGETS}, got {target!r}')
    head = model.mano_head
    if target == 'none':
        head.test_fit = None
        return
    if target == 'model' and getattr(model, 'dbfam', None) is None:
        raise ValueError("--fit-to model fits the hand to D-BFAM's 2D joints, and this "
                         'model has no D-BFAM; use --fit-to landmarks or none')
    if head.test_fit is None:
        from hoverse.registry import MODELS
        head.test_fit = MODELS.build(fitter or dict(type='HandKeypointFitter')).to(
            next(model.parameters()).device)


def landmarks_to_canonical(keypoints: np.ndarray) -> np.ndarray:
    """MediaPipe's 21 hand landmarks ``(21, 2)`` (OpenPose order: wrist, then thumb to
    little finger, each from its base to its tip) in hoverse's canonical joint order."""
    kpts = np.asarray(keypoints, np.float64)
    if kpts.shape != (NUM_JOINTS, 2) or not np.isfinite(kpts).all():
        raise ValueError(f'hand landmarks must be {NUM_JOINTS} finite (x, y) pixels, got '
                         f'shape {kpts.shape}')
    return kpts[list(CANONICAL_FROM_OPENPOSE)]


def detection_evidence(detection, target: str) -> Optional[np.ndarray]:
    """The image-pixel 2D joints ``(21, 2)`` (canonical order) a frame's fit aims at for
    ``target``: the detection's landmarks for ``'landmarks'``; None otherwise, or when the
    frame has no landmarks (the fit then uses the model's own)."""
    if target != 'landmarks' or detection is None or detection.keypoints is None:
        return None
    return landmarks_to_canonical(detection.keypoints)


def fit_evidence_source(target: str, evidence: Optional[np.ndarray]) -> Optional[str]:
    """What a frame's hand was fitted to: ``'landmarks'``, ``'model'`` or None (no fit)."""
    if target == 'none':
        return None
    return 'landmarks' if evidence is not None else 'model'


def set_physical_fit(model, on: bool, fitter: Optional[dict] = None) -> None:
    """Switch the model's test-time hand-object fit (``HandObjectFitter``: no
    interpenetration, contact, the 2D evidence kept) on (the config's, else ``fitter``,
    else the defaults) or off."""
    from hoverse.models.fitters import build_physical_fit
    if not on:
        model.physical_fit = None
    elif getattr(model, 'physical_fit', None) is None:
        model.physical_fit = build_physical_fit(fitter or dict(type='HandObjectFitter'))


def add_fit_args(parser, per_frame: bool = False) -> None:
    """The demos' ``--physical-fit`` and ``--fit-to`` (``per_frame``: the video demo's
    wording)."""
    parser.add_argument('--physical-fit', action='store_true',
                        help='refine the hand and the object together at test time: no '
                        'interpenetration, fingers in contact, the 2D evidence kept '
                        '(HandObjectFitter; the JSON records penetration and contact '
                        'before and after)')
    whose = "each frame's hand" if per_frame else 'the hand'
    parser.add_argument('--fit-to', choices=list(FIT_TARGETS), default='none',
                        help=f"fit {whose} to the detector's landmarks, to the model's own "
                        '2D joints, or not at all (hoverse.apis.fit_target)')
