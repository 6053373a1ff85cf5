"""How much a synthetic image shows each part of the object's rotation.

For a composed scene (:func:`~hoverse.synthesis.generate.compose_scene`) the object
is rendered again turned by a small angle about its grasp axis (the *twist*: the spin that
only paint or an asymmetric cross-section shows) and about the two axes perpendicular to it
(the *swing*), with the hand, camera, light and background unchanged. The share of the
object's pixels whose colour changes says whether the image can tell the two poses apart:
a rotation that changes no pixel cannot be learnt from that image, whatever the model.
The renders for this are unshaded (ambient light only) by default, so that what changes is
paint and outline, not the flat-shaded facets of a round surface turning under the light.
"""
from typing import Dict, List, Optional, Sequence

import numpy as np

from hoverse.objects.object_symmetry import axis_angle_matrix

#: a pixel counts as changed when one of its channels moves by more than this (0-255)
CHANGE_THRESHOLD = 25
#: the object's value in the generator's masks (0 background, 1 hand, 2 object)
OBJECT_MASK_LABEL = 2


def perpendicular_axes(axis: np.ndarray) -> np.ndarray:
    """``(2, 3)`` unit axes perpendicular to ``axis (3,)`` and to each other."""
    a = np.asarray(axis, np.float64) / np.linalg.norm(axis)
    ref = np.eye(3)[int(np.argmin(np.abs(a)))]
    b = np.cross(a, ref)
    b /= np.linalg.norm(b)
    return np.stack([b, np.cross(a, b)])


def changed_share(base: Dict[str, np.ndarray], moved: Dict[str, np.ndarray],
                  object_label: int = OBJECT_MASK_LABEL,
                  threshold: int = CHANGE_THRESHOLD) -> float:
    """Share of the pixels showing the object in either render (``mask == object_label``)
    whose RGB changed by more than ``threshold`` in some channel; 0 when neither shows it."""
    region = (base['mask'] == object_label) | (moved['mask'] == object_label)
    if not region.any():
        return 0.0
    diff = np.abs(base['rgb'].astype(np.int16) - moved['rgb'].astype(np.int16)).max(-1)
    return float((diff[region] > threshold).mean())


def scene_visibility(scene, render, angle_deg: float = 20.0) -> Dict[str, float]:
    """``twist`` and ``swing`` changed shares of one scene: each the mean over turning by
    +-``angle_deg`` about ``scene.grasp_axis`` (swing: about both axes perpendicular to it)
    in the object's model frame. ``render(scene, R_obj or None) -> dict(rgb, mask)``."""
    grasp_axis = np.asarray(scene.grasp_axis, np.float64)
    base = render(scene, None)
    shares = {}
    for name, axes in (('twist', [grasp_axis]),
                       ('swing', list(perpendicular_axes(grasp_axis)))):
        vals = []
        for ax in axes:
            for sign in (1.0, -1.0):
                R = scene.R_obj @ axis_angle_matrix(ax / np.linalg.norm(ax),
                                                    np.deg2rad(sign * angle_deg))
                vals.append(changed_share(base, render(scene, R)))
        shares[name] = float(np.mean(vals))
    shares['object_pixels'] = int((base['mask'] == OBJECT_MASK_LABEL).sum())
    return shares


def summarise_visibility(rows: Sequence[Dict], invisible_below: float = 0.05
                         ) -> Dict[str, Dict[str, float]]:
    """Per object and ``all``: median twist and swing shares, and the % of samples whose
    twist changes fewer than ``invisible_below`` of the object's pixels."""
    out: Dict[str, Dict[str, float]] = {}
    names = sorted({r['object'] for r in rows})
    for name in names + ['all']:
        sel = [r for r in rows if name in ('all', r['object'])]
        tw = np.array([r['twist'] for r in sel])
        sw = np.array([r['swing'] for r in sel])
        out[name] = dict(samples=len(sel), twist_median=float(np.median(tw)),
                         swing_median=float(np.median(sw)),
                         twist_invisible_pct=float((tw < invisible_below).mean() * 100))
    return out


def measure_visibility(mano_path: str, models_root: str, indices: Sequence[int],
                       seed: int = 0, image_size: int = 256,
                       objects: Optional[Sequence[str]] = None,
                       angle_deg: float = 20.0, shaded: bool = False) -> List[Dict]:
    """One row per sample index (the generator's indices: object ``names[idx % len]``):
    ``object``, ``index``, ``twist``, ``swing``, ``object_pixels``. Composes the scenes as
    :func:`generate_synthetic_dataset` would with the same ``seed`` and default view prior;
    ``shaded=True`` keeps the scene's light instead of flat colours."""
    from . import generate as gen
    from hoverse.objects.procedural import PROCEDURAL_OBJECTS
    gen.set_up_synthesis(mano_path, models_root, image_size)
    names = list(objects or PROCEDURAL_OBJECTS)
    flat = {} if shaded else dict(light_intensity=0.0, ambient=1.0)

    def render(scene, R_obj):
        return gen.render_scene(scene, R_obj, **flat)
    rows = []
    for idx in indices:
        name = names[idx % len(names)]
        scene = gen.compose_scene(idx, seed, name)
        row = scene_visibility(scene, render, angle_deg)
        rows.append(dict(row, object=name, index=int(idx)))
    return rows
