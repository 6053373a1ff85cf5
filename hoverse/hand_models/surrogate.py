"""A procedural stand-in for the MANO right-hand model, in MANO's exact file format.

The licensed MANO model cannot be shipped. This module builds a hand from a palm tube and
five finger tubes (three segments each) as one genus-0 surface open at the wrist, with
exactly MANO's 778 vertices and 1538 faces, 16 joints (MANO's order and kinematic tree),
skinning weights that bend each finger segment about its own joint, a sparse joint
regressor, 10 shape blend shapes, zero pose correctives, and a 45-dimensional pose PCA
basis. The fingertip vertices sit at the ids HO3D uses (thumb 744, index 333, middle 444,
ring 555, little 672). The real ``MANO_RIGHT.pkl`` replaces it by path with no code change.

Frame of the template (metres): wrist ring at x = 0, fingers along +x, palm facing -y,
thumb on the -z side (a right hand seen from above).
"""
import os
import os.path as osp
import pickle
from typing import Dict, List, Tuple

import numpy as np
import scipy.sparse as sp

from .joint_orders import HO3D_TIP_VERTEX_IDS

NUM_VERTS, NUM_FACES, NUM_JOINTS = 778, 1538, 16
WRIST_RING = 16       # boundary vertices of the wrist opening
PALM_RING = 32        # 4 fingers x 8
FINGER_RING = 8
PALM_RINGS = 8        # rings after the wrist ring; the last one is the knuckle ring
FINGER_RINGS = 13     # rings per long finger after its base ring (5 + 4 + 4 per segment)
THUMB_RINGS = 10      # rings of the thumb after its base (hole) ring (4 + 3 + 3)

#: finger order along +z: index, middle, ring, little -> MANO joint of its MCP
FINGER_MCP_JOINT = (1, 4, 10, 7)
FINGER_SEGMENTS = (  # proximal, middle, distal phalanx lengths (m)
    (0.040, 0.025, 0.022), (0.045, 0.028, 0.024), (0.042, 0.027, 0.023), (0.033, 0.020, 0.019))
THUMB_SEGMENTS = (0.038, 0.032, 0.028)
THUMB_JOINTS = (13, 14, 15)
#: a small ring before the little fingertip that brings the count to MANO's 778 vertices
LITTLE_TIP_RING = 6
#: vertex id of each tip: thumb, index, middle, ring, little
TIP_IDS = HO3D_TIP_VERTEX_IDS


def _ring_strip(a: List[int], b: List[int]) -> List[Tuple[int, int, int]]:
    """Triangles joining two closed rings of any sizes with the same orientation."""
    na, nb = len(a), len(b)
    faces, i, j = [], 0, 0
    while i < na or j < nb:
        # advance on the ring whose next vertex comes first in normalised order
        if j >= nb or (i < na and (i + 1) / na <= (j + 1) / nb):
            faces.append((a[i % na], a[(i + 1) % na], b[j % nb]))
            i += 1
        else:
            faces.append((a[i % na], b[(j + 1) % nb], b[j % nb]))
            j += 1
    return faces


def _fan(ring: List[int], apex: int) -> List[Tuple[int, int, int]]:
    return [(ring[k], ring[(k + 1) % len(ring)], apex) for k in range(len(ring))]


def _circle(center: np.ndarray, axis: np.ndarray, up: np.ndarray, radius: float,
            n: int, flat: float = 1.0, phase: float = 0.0) -> np.ndarray:
    """``n`` points on an ellipse around ``axis`` (``up`` gives the flattened direction)."""
    axis = axis / np.linalg.norm(axis)
    u = up - axis * (up @ axis)
    u /= np.linalg.norm(u)
    v = np.cross(axis, u)
    ang = 2 * np.pi * (np.arange(n) + 0.5) / n + phase
    return center + radius * (np.cos(ang)[:, None] * v + flat * np.sin(ang)[:, None] * u)


class _Builder:
    """Accumulates vertices, faces, per-vertex joint weights and regressor rings."""

    def __init__(self) -> None:
        self.verts: List[np.ndarray] = []
        self.weights: List[Dict[int, float]] = []
        self.faces: List[Tuple[int, int, int]] = []
        self.joint_rings: Dict[int, List[int]] = {}
        self.finger_axis: Dict[int, Tuple[np.ndarray, np.ndarray]] = {}

    def add(self, pts: np.ndarray, weight: Dict[int, float]) -> List[int]:
        start = len(self.verts)
        self.verts.extend(np.asarray(pts, dtype=np.float64).reshape(-1, 3))
        self.weights.extend(dict(weight) for _ in range(len(pts)))
        return list(range(start, len(self.verts)))


def _palm_ring(x: float, half_w: float, half_t: float, n: int) -> np.ndarray:
    """Palm cross-section at ``x``: front (y<0) from -z to +z, then back from +z to -z."""
    ang = 2 * np.pi * (np.arange(n) + 0.5) / n
    return np.stack([np.full(n, x), -half_t * np.sin(ang), -half_w * np.cos(ang)], 1)


def _tube(b: _Builder, base: List[int], start: np.ndarray, direction: np.ndarray,
          up: np.ndarray, segments: Tuple[float, ...], joints: Tuple[int, ...],
          parent: int, rings_per_seg: Tuple[int, ...], radius: float,
          extra_ring: int = 0) -> int:
    """Grow a three-segment finger from the ``base`` ring; return its tip vertex id."""
    direction = direction / np.linalg.norm(direction)
    b.joint_rings[joints[0]] = base
    for v in base:
        b.weights[v] = {parent: 0.5, joints[0]: 0.5}
    prev, s0 = base, 0.0
    total = sum(segments)
    for seg, (length, n_rings) in enumerate(zip(segments, rings_per_seg)):
        for k in range(1, n_rings + 1):
            frac = k / n_rings
            s = s0 + length * frac * (0.93 if seg == 2 else 1.0)
            taper = radius * (1.0 - 0.25 * s / total)
            if seg == 2:  # round the fingertip
                taper *= np.sqrt(max(1.0 - (max(frac - 0.55, 0) / 0.45)**2, 0.12))
            ring = b.add(_circle(start + s * direction, direction, up, taper, FINGER_RING, 0.85),
                         {joints[seg]: 1.0})
            at_joint = k == n_rings and seg < 2
            if at_joint:  # ring at the next joint: blend, and regress that joint from it
                b.joint_rings[joints[seg + 1]] = ring
                for v in ring:
                    b.weights[v] = {joints[seg]: 0.5, joints[seg + 1]: 0.5}
            b.faces += _ring_strip(prev, ring)
            prev = ring
        s0 += length
    if extra_ring:
        ring = b.add(_circle(start + (total - 0.003) * direction, direction, up, radius * 0.35,
                             extra_ring, 0.85), {joints[2]: 1.0})
        b.faces += _ring_strip(prev, ring)
        prev = ring
    tip = b.add((start + total * direction)[None], {joints[2]: 1.0})[0]
    b.faces += _fan(prev, tip)
    b.finger_axis[joints[0]] = (start, direction)
    return tip


def _build_geometry() -> _Builder:
    b = _Builder()
    palm_len = 0.085
    # wrist ring (the open boundary) and palm rings up to the knuckles
    rings = [b.add(_palm_ring(0.0, 0.028, 0.012, WRIST_RING), {0: 1.0})]
    b.joint_rings[0] = rings[0]
    for r in range(1, PALM_RINGS + 1):
        x = palm_len * r / PALM_RINGS
        half_w = 0.030 + 0.012 * (r / PALM_RINGS)
        rings.append(b.add(_palm_ring(x, half_w, 0.0135, PALM_RING), {0: 1.0}))
    b.faces += _ring_strip(rings[0], rings[1])

    # thumb hole: drop vertex (hr, 0) and the 4 quads around it
    hr = 3
    hole_center = rings[hr][0]
    hole = [rings[hr - 1][-1], rings[hr - 1][0], rings[hr - 1][1], rings[hr][1],
            rings[hr + 1][1], rings[hr + 1][0], rings[hr + 1][-1], rings[hr][-1]]
    for r in range(1, PALM_RINGS):
        lo, hi = rings[r], rings[r + 1]
        for j in range(PALM_RING):
            jn = (j + 1) % PALM_RING
            if r in (hr - 1, hr) and j in (PALM_RING - 1, 0):
                continue  # the four quads around the hole centre
            b.faces += [(lo[j], lo[jn], hi[jn]), (lo[j], hi[jn], hi[j])]

    # the knuckle ring splits into four finger rings joined by webs
    knuckle = rings[-1]
    half = PALM_RING // 2
    z_axis = np.array([0.0, 0.0, 1.0])
    tips = {}
    for i in range(4):
        front = [knuckle[4 * i + k] for k in range(4)]
        back = [knuckle[PALM_RING - 1 - (4 * i + 3) + k] for k in range(4)]
        base = front + back
        centre = np.mean([b.verts[v] for v in base], 0)
        spread = (i - 1.5) * 0.06
        direction = np.array([1.0, 0.0, spread])
        tips[i] = _tube(b, base, centre, direction, np.array([0.0, -1.0, 0.0]),
                        FINGER_SEGMENTS[i], (FINGER_MCP_JOINT[i], FINGER_MCP_JOINT[i] + 1,
                                             FINGER_MCP_JOINT[i] + 2), 0, (5, 4, 4), 0.0085,
                        extra_ring=LITTLE_TIP_RING if i == 3 else 0)
        if i < 3:  # web between finger i and i+1
            f0, f1 = knuckle[4 * i + 3], knuckle[4 * i + 4]
            b0, b1 = knuckle[half - 1 - (4 * i + 3) + half], knuckle[half - 1 - (4 * i + 4) + half]
            b.faces += [(f0, f1, b1), (f0, b1, b0)]
    # thumb from the hole, pointing forward, outward (-z) and toward the palm
    hole_pts = np.array([b.verts[v] for v in hole])
    start = hole_pts.mean(0)
    direction = np.array([0.6, -0.2, -0.75])
    tips['thumb'] = _tube(b, hole, start, direction, np.cross(direction, z_axis),
                          THUMB_SEGMENTS, THUMB_JOINTS, 0, (4, 3, 3), 0.0095)
    b._hole_center = hole_center
    b._tips = tips
    return b


def _finalise(b: _Builder
              ) -> Tuple[np.ndarray, np.ndarray, np.ndarray, Dict[int, List[int]], Dict[str, int]]:
    """Drop the hole centre, hit 778 vertices exactly, orient faces outward."""
    keep = [v for v in range(len(b.verts)) if v != b._hole_center]
    remap = {old: new for new, old in enumerate(keep)}
    verts = np.array([b.verts[v] for v in keep])
    weights = [b.weights[v] for v in keep]
    faces = np.array([[remap[v] for v in f] for f in b.faces], dtype=np.int64)
    rings = {j: [remap[v] for v in r] for j, r in b.joint_rings.items()}
    tips = {k: remap[v] for k, v in b._tips.items()}
    return verts, faces, weights, rings, tips


def _outward(verts: np.ndarray, faces: np.ndarray, wrist: List[int]) -> np.ndarray:
    """Flip all faces if the wrist-closed surface has negative signed volume."""
    closed = np.concatenate([faces, [(wrist[0], wrist[k + 1], wrist[k])
                                     for k in range(1, len(wrist) - 1)]])
    tri = verts[closed]
    vol = np.einsum('ij,ij->i', tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum() / 6
    return faces if vol > 0 else faces[:, ::-1].copy()


def build_surrogate_mano(seed: int = 0) -> Dict[str, object]:
    """Return a dict with every array of an official MANO pickle (numpy / scipy only)."""
    b = _build_geometry()
    verts, faces, weights, rings, tips = _finalise(b)
    if len(verts) != NUM_VERTS or len(faces) != NUM_FACES:
        raise AssertionError(f'surrogate layout gives {len(verts)} vertices and {len(faces)} '
                             f'faces, not {NUM_VERTS} and {NUM_FACES}')
    faces = _outward(verts, faces, rings[0])

    # permute vertices so that each fingertip sits at the id HO3D uses
    tip_order = [tips['thumb'], tips[0], tips[1], tips[2], tips[3]]
    perm = np.full(NUM_VERTS, -1)
    for tip, target in zip(tip_order, TIP_IDS):
        perm[target] = tip
    rest = iter(v for v in range(NUM_VERTS) if v not in set(tip_order))
    for i in range(NUM_VERTS):
        if perm[i] < 0:
            perm[i] = next(rest)
    inv = np.argsort(perm)  # old id -> new id
    verts = verts[perm]
    weights = [weights[v] for v in perm]
    faces = inv[faces]
    rings = {j: [int(inv[v]) for v in r] for j, r in rings.items()}

    W = np.zeros((NUM_VERTS, NUM_JOINTS))
    for v, w in enumerate(weights):
        for j, val in w.items():
            W[v, j] = val
    W /= W.sum(1, keepdims=True)
    J_reg = np.zeros((NUM_JOINTS, NUM_VERTS))
    for j in range(NUM_JOINTS):
        J_reg[j, rings[j]] = 1.0 / len(rings[j])
    J = J_reg @ verts
    parents = np.array([0, 0, 1, 2, 0, 4, 5, 0, 7, 8, 0, 10, 11, 0, 13, 14], dtype=np.int64)
    kintree = np.stack([parents, np.arange(NUM_JOINTS)]).astype(np.uint32)
    kintree[0, 0] = 4294967295

    shapedirs = _shape_blendshapes(verts, W, J, seed)
    components, mean = _pose_pca(verts, J, seed)
    return {
        'v_template': verts,
        'f': faces.astype(np.uint32),
        'J_regressor': sp.csc_matrix(J_reg),
        'J': J,
        'kintree_table': kintree,
        'weights': W,
        'shapedirs': shapedirs,
        'posedirs': np.zeros((NUM_VERTS, 3, 135)),
        'hands_components': components,
        'hands_mean': mean,
        'hands_coeffs': np.zeros((1554, 45)),
        'bs_style': 'lbs',
        'bs_type': 'lrotmin',
        'surrogate': True,
    }


def _shape_blendshapes(verts: np.ndarray, W: np.ndarray, J: np.ndarray, seed: int) -> np.ndarray:
    """10 displacement fields (778, 3, 10): scale, finger length, palm width, thickness,
    thumb length, palm length, then four smooth low-amplitude fields."""
    finger_w = 1.0 - W[:, 0]
    rel = verts - J[0]
    d = np.zeros((NUM_VERTS, 3, 10))
    d[:, :, 0] = 0.05 * rel
    d[:, 0, 1] = 0.08 * np.clip(verts[:, 0] - 0.085, 0, None) * finger_w
    d[:, 2, 2] = 0.08 * verts[:, 2]
    d[:, 1, 3] = 0.10 * verts[:, 1]
    thumb_w = W[:, 13:16].sum(1)
    d[:, :, 4] = 0.06 * (verts - J[13]) * thumb_w[:, None]
    d[:, 0, 5] = 0.06 * np.minimum(verts[:, 0], 0.085)
    rng = np.random.RandomState(seed)
    for k in range(6, 10):
        freq = rng.uniform(10, 30, size=3)
        phase = rng.uniform(0, 2 * np.pi, size=3)
        d[:, :, k] = 0.002 * np.sin(verts * freq + phase)
    return d


def _pose_pca(verts: np.ndarray, J: np.ndarray, seed: int) -> Tuple[np.ndarray, np.ndarray]:
    """Orthonormal (45, 45) basis whose first rows are curl, spread and thumb opposition."""
    curl = np.zeros((15, 3))
    for mcp in FINGER_MCP_JOINT:
        for k in range(3):
            curl[mcp - 1 + k] = (0.0, 0.0, -1.0)  # flex toward the palm (-y)
    thumb_dir = J[14] - J[13]
    thumb_axis = np.cross(thumb_dir, [0.0, 1.0, 0.0])
    thumb_axis /= np.linalg.norm(thumb_axis)
    for j in THUMB_JOINTS:
        curl[j - 1] = -0.7 * thumb_axis
    spread = np.zeros((15, 3))
    for i, mcp in enumerate(FINGER_MCP_JOINT):
        spread[mcp - 1] = (0.0, (1.5 - i) * 0.5, 0.0)
    oppose = np.zeros((15, 3))
    oppose[12] = (0.6, 0.0, 0.0)
    rng = np.random.RandomState(seed)
    basis = np.concatenate([np.stack([curl.ravel(), spread.ravel(), oppose.ravel()]),
                            rng.randn(42, 45)])
    q, r = np.linalg.qr(basis.T)
    q *= np.sign(np.diag(r))[None]  # keep the first directions' signs
    components = q.T
    mean = 0.35 * curl.ravel() / np.linalg.norm(curl.ravel()) * np.sqrt(15)
    return components, mean * 0.3


def write_surrogate_mano(out_dir: str, seed: int = 0) -> str:
    """Write ``out_dir/MANO_RIGHT.pkl`` (numpy/scipy only); return its path."""
    os.makedirs(out_dir, exist_ok=True)
    path = osp.join(out_dir, 'MANO_RIGHT.pkl')
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        pickle.dump(build_surrogate_mano(seed), f, protocol=2)
    os.replace(tmp, path)
    return path
