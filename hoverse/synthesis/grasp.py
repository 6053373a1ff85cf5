"""Plausible grasps for the synthetic set: object against the palm, fingers closed on it.

Works in the MANO frame with the hoverse MANO layer (surrogate or real) and an object's SDF
grid. A grasp is accepted when the deepest hand vertex is less than ``max_penetration``
inside the object and some vertices touch it.

Grasp types (loosely after the taxonomy of Feix et al.) decide which fingers close on the
object; the others take a random curl from open to just short of the object, so
articulation varies: ``power`` (all five), ``precision`` (thumb, index, middle),
``tripod`` (all but the little finger), ``pinch`` (thumb and index) and ``lateral`` (the
four fingers, the thumb free). The object rests against the palm in all of them. The
object's orientation relative to the hand is tied to the grasp, as in real data: its long
axis lies across the palm (either way), with a bounded spin about that axis and a small tilt.
"""
from dataclasses import dataclass
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
import torch
from scipy.spatial.transform import Rotation

from hoverse.hand_models import MANOLayer
from hoverse.objects import ObjectTemplate, SDFGrid

#: MCP joint of each finger (thumb, index, middle, ring, little) in MANO's order
FINGER_MCPS = (13, 1, 4, 10, 7)
#: grasp type -> (fingers that close on the object (thumb=0 ... little=4), palm gap range m).
#: The object always rests against the palm: a gap of more than a few millimetres leaves
#: the (surrogate) fingers' curl short of the object.
GRASP_TYPES: Dict[str, Tuple[Sequence[int], Tuple[float, float]]] = {
    'power': ((0, 1, 2, 3, 4), (0.0, 0.0)),
    'precision': ((0, 1, 2), (0.0, 0.002)),
    'tripod': ((0, 1, 2, 3), (0.0, 0.002)),
    'pinch': ((0, 1), (0.0, 0.002)),
    'lateral': ((1, 2, 3, 4), (0.0, 0.002)),
}


def grasp_orientation(long_axis: np.ndarray, palm_normal: np.ndarray, finger_dir: np.ndarray,
                      rng: np.random.Generator, max_spin: float = 60.0,
                      max_tilt: float = 15.0) -> np.ndarray:
    """Object rotation ``(3, 3)`` (model -> MANO frame) for a grasp: the model's
    ``long_axis`` across the palm (perpendicular to the fingers, either sign), spun about
    it by up to ``max_spin`` degrees and tilted by up to ``max_tilt`` degrees."""
    a = np.asarray(long_axis, np.float64) / np.linalg.norm(long_axis)
    n = palm_normal / np.linalg.norm(palm_normal)
    u = finger_dir - n * (finger_dir @ n)
    u /= np.linalg.norm(u)
    across = np.cross(n, u) * (1 if rng.uniform() < 0.5 else -1)
    # model frame with a as its third axis -> hand frame with ``across`` as its third axis
    ref = np.array([1.0, 0, 0]) if abs(a[0]) < 0.9 else np.array([0, 1.0, 0])
    b1 = np.cross(a, ref)
    b1 /= np.linalg.norm(b1)
    M = np.stack([b1, np.cross(a, b1), a], 1)
    H = np.stack([n, np.cross(across, n), across], 1)
    spin = Rotation.from_rotvec(a * np.deg2rad(rng.uniform(-max_spin, max_spin))).as_matrix()
    tilt_axis = rng.normal(size=3)
    tilt = Rotation.from_rotvec(tilt_axis / np.linalg.norm(tilt_axis) *
                                np.deg2rad(rng.uniform(0, max_tilt))).as_matrix()
    return tilt @ H @ M.T @ spin


@dataclass
class Grasp:
    """A grasp in the MANO frame (metres): hand pose and the object pose next to it."""
    hand_pose: np.ndarray      # (45,) axis-angle, flat-hand-mean
    betas: np.ndarray          # (10,)
    obj_rot: np.ndarray        # (3, 3) model -> MANO frame
    obj_trans: np.ndarray      # (3,)
    verts: np.ndarray          # (778, 3) posed hand (zero global orient, zero transl)
    joints: np.ndarray         # (21, 3)
    penetration: float         # deepest hand vertex inside the object (m, >= 0)
    num_contacts: int          # hand vertices within 3 mm of the surface
    grasp_type: str = 'power'


def _finger_masks(layer: MANOLayer) -> torch.Tensor:
    """(5, 778) bool: vertices skinned mostly to each finger's three joints."""
    w = layer.lbs_weights
    return torch.stack([w[:, m:m + 3].sum(1) > 0.5 for m in FINGER_MCPS])


def _curl_directions(layer: MANOLayer) -> torch.Tensor:
    """(5, 45): the first pose component restricted to each finger's joints."""
    curl = layer.pca_components[0].view(15, 3)
    out = torch.zeros(5, 15, 3)
    for f, m in enumerate(FINGER_MCPS):
        out[f, m - 1:m + 2] = curl[m - 1:m + 2]
    return out.view(5, 45)


def _palm_frame(verts: torch.Tensor, joints: torch.Tensor, weights: torch.Tensor):
    """Palm contact point and unit normal (towards the palm side) of a right hand."""
    a, b = joints[1] - joints[0], joints[7] - joints[0]  # index MCP, little MCP
    n = torch.nn.functional.normalize(torch.cross(a, b, dim=0), dim=0)
    palm = (weights[:, 0] > 0.9) & (((verts - joints[0]) @ n) > 0)
    return verts[palm].mean(0), n


def synthesize_grasp(layer: MANOLayer, obj: ObjectTemplate, sdf: SDFGrid,
                     rng: np.random.Generator, max_penetration: float = 0.002,
                     max_tries: int = 20, levels: int = 32,
                     grasp_types: Optional[Sequence[str]] = None,
                     long_axis: Optional[np.ndarray] = None,
                     max_spin: float = 60.0,
                     betas: Optional[np.ndarray] = None) -> Optional[Grasp]:
    """Search for a grasp of ``obj``; ``None`` if ``max_tries`` attempts all fail.

    ``grasp_types`` (default: all of :data:`GRASP_TYPES`) are drawn uniformly;
    ``long_axis (3,)`` (model frame) is the axis the hand holds across the palm (default:
    the template's longest box side); ``max_spin`` bounds the spin about it (degrees);
    ``betas (10,)`` fixes the hand's shape (a dataset's subject), else it is drawn.
    """
    masks = _finger_masks(layer)
    curls = _curl_directions(layer)
    comps = layer.pca_components
    types = list(grasp_types or GRASP_TYPES)
    if long_axis is None:
        long_axis = obj.longest_axis
    for _ in range(max_tries):
        gtype = types[int(rng.integers(len(types)))]
        closing, (gap_lo, gap_hi) = GRASP_TYPES[gtype]
        coeffs = np.zeros(comps.shape[0])
        coeffs[0] = rng.uniform(-0.3, 0.6)
        coeffs[1] = rng.uniform(-1.0, 1.0)
        coeffs[2:10] = rng.normal(0, 0.25, 8)
        base = torch.as_tensor(coeffs, dtype=torch.float32) @ comps
        drawn = rng.normal(0, 0.6, 10)  # drawn in any case: the stream stays the same
        shape = drawn if betas is None else np.asarray(betas, np.float64).reshape(10)
        betas_t = torch.as_tensor(shape, dtype=torch.float32)[None]
        out = layer(torch.zeros(1, 3), base[None], betas_t)
        verts, joints = out['verts'][0], out['joints'][0]
        p_c, n = _palm_frame(verts, joints, layer.lbs_weights)
        finger_dir = (joints[4] - joints[0]).numpy().astype(np.float64)
        R = torch.as_tensor(grasp_orientation(long_axis, -n.numpy().astype(np.float64),
                                              finger_dir, rng, max_spin), dtype=torch.float32)
        center = torch.as_tensor(obj.center, dtype=torch.float32)
        gap = rng.uniform(gap_lo, gap_hi)

        def min_sdf(offset: float, v: torch.Tensor = verts) -> float:
            t = p_c - n * offset - R @ center
            return float(sdf(((v - t) @ R)[None]).min())

        # slide the object out of the palm until it just touches (bisection on the offset)
        lo, hi = 0.0, obj.diameter
        if min_sdf(hi) <= 0:
            continue
        for _ in range(16):  # diameter / 2^16: a few micrometres
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if min_sdf(mid) < 0.0015 else (lo, mid)
        t = p_c - n * (hi + gap) - R @ center

        # close each finger until it touches: evaluate all curl levels at once
        amount = torch.linspace(0, 2.2, levels)
        poses = base[None] + amount[:, None] * curls.sum(0)[None]
        lv = layer(torch.zeros(levels, 3), poses, betas_t.expand(levels, -1))['verts']
        d = sdf(((lv - t) @ R))  # (levels, 778)
        pose = base.clone()
        for f in range(5):
            df = d[:, masks[f]].min(1).values
            hit = (df < 0.001).nonzero()
            first = int(hit[0]) if len(hit) else levels
            if f in closing and len(hit):  # stop at first touch, one level back if inside
                k = max(first - (1 if df[first] < -0.001 else 0), 0)
            else:  # a free finger: any curl from open to closed that stays outside
                k = int(rng.integers(0, max(first - 1, 1)))
            pose = pose + amount[k] * curls[f]
        final = layer(torch.zeros(1, 3), pose[None], betas_t)
        fv = final['verts'][0]
        dist = sdf(((fv - t) @ R)[None])[0]
        pen = float((-dist).clamp(min=0).max())
        contacts = int((dist.abs() < 0.003).sum())
        if pen < max_penetration and contacts >= 5:
            return Grasp(pose.numpy(), betas_t[0].numpy(), R.numpy().astype(np.float64),
                         t.numpy().astype(np.float64), fv.numpy(), final['joints'][0].numpy(),
                         pen, contacts, gtype)
    return None
