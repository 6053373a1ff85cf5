"""Plausible grasps for the synthetic set: object against the palm, fingers closed on it.

Works in the MANO frame with the hoverse MANO layer (surrogate or real) and an object's SDF
grid. A grasp is accepted when the deepest hand vertex is less than ``max_penetration``
inside the object and some vertices touch it.
"""
from dataclasses import dataclass
from typing import Optional

import numpy as np
import torch
from scipy.spatial.transform import Rotation

from hoverse.hand_models import MANOLayer
from hoverse.objects import ObjectTemplate, SDFGrid

#: MCP joint of each finger (thumb, index, middle, ring, little) in MANO's order
FINGER_MCPS = (13, 1, 4, 10, 7)


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
                     max_tries: int = 20, levels: int = 24) -> Optional[Grasp]:
    """Search for a grasp of ``obj``; ``None`` if ``max_tries`` attempts all fail."""
    masks = _finger_masks(layer)
    curls = _curl_directions(layer)
    comps = layer.pca_components
    for _ in range(max_tries):
        coeffs = np.zeros(comps.shape[0])
        coeffs[0] = rng.uniform(0.0, 0.5)
        coeffs[1] = rng.uniform(-0.6, 0.6)
        coeffs[2:10] = rng.normal(0, 0.08, 8)
        base = torch.as_tensor(coeffs, dtype=torch.float32) @ comps
        betas = torch.as_tensor(rng.normal(0, 0.6, 10), dtype=torch.float32)[None]
        out = layer(torch.zeros(1, 3), base[None], betas)
        verts, joints = out['verts'][0], out['joints'][0]
        p_c, n = _palm_frame(verts, joints, layer.lbs_weights)
        R = torch.as_tensor(Rotation.random(random_state=rng.integers(1 << 31)).as_matrix(),
                            dtype=torch.float32)
        center = torch.as_tensor(obj.center, dtype=torch.float32)

        def min_sdf(offset: float, v: torch.Tensor = verts) -> float:
            t = p_c - n * offset - R @ center
            return float(sdf(((v - t) @ R)[None]).min())

        # slide the object out of the palm until it just touches (bisection on the offset)
        lo, hi = 0.0, obj.diameter
        if min_sdf(hi) <= 0:
            continue
        for _ in range(30):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if min_sdf(mid) < 0.0015 else (lo, mid)
        t = p_c - n * hi - R @ center

        # close each finger until it touches: evaluate all curl levels at once
        amount = torch.linspace(0, 2.2, levels)
        poses = base[None] + amount[:, None] * curls.sum(0)[None]
        lv = layer(torch.zeros(levels, 3), poses, betas.expand(levels, -1))['verts']
        d = sdf(((lv - t) @ R))  # (levels, 778)
        pose = base.clone()
        for f in range(5):
            df = d[:, masks[f]].min(1).values
            hit = (df < 0.001).nonzero()
            if len(hit):  # stop at first touch, one level back if that one went inside
                k = int(hit[0])
                k = max(k - (1 if df[k] < -0.001 else 0), 0)
            else:  # nothing to touch: a relaxed partial curl
                k = int(rng.integers(levels // 4, levels // 2))
            pose = pose + amount[k] * curls[f]
        final = layer(torch.zeros(1, 3), pose[None], betas)
        fv = final['verts'][0]
        dist = sdf(((fv - t) @ R)[None])[0]
        pen = float((-dist).clamp(min=0).max())
        contacts = int((dist.abs() < 0.003).sum())
        if pen < max_penetration and contacts >= 5:
            return Grasp(pose.numpy(), betas[0].numpy(), R.numpy().astype(np.float64),
                         t.numpy().astype(np.float64), fv.numpy(), final['joints'][0].numpy(),
                         pen, contacts)
    return None
