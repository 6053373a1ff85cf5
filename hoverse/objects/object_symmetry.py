"""Object symmetries in BOP's ``models_info.json`` convention (Hodan et al., BOP 2020).

One ``models_info.json`` lies beside the templates (``<models_root>/models_info.json``),
keyed by object name (the template's folder), each entry as BOP writes it:

- ``diameter``: largest distance between two model points, millimetres;
- ``symmetries_discrete``: list of flattened (row-major) 4x4 transforms ``X' = R X + t`` in
  the model frame, ``t`` in millimetres; the identity is implied, not listed;
- ``symmetries_continuous``: list of ``{"axis": [x, y, z], "offset": [x, y, z]}``: any
  rotation about ``axis`` through the point ``offset`` (millimetres) maps the object onto
  itself.

hoverse keeps metres inside the code: :class:`ObjectSymmetry` holds the parsed entry.
Two continuous axes that are not parallel make the object fully symmetric (a ball): its
rotation is not observable at all.
"""
import json
import os.path as osp
from dataclasses import dataclass, field
from typing import Dict, List

import numpy as np

MODELS_INFO_FILE = 'models_info.json'


def axis_angle_matrix(axis: np.ndarray, angle: float) -> np.ndarray:
    """Rotation ``(3, 3)`` by ``angle`` radians about ``axis (3,)`` (normalised here)."""
    from scipy.spatial.transform import Rotation
    a = np.asarray(axis, np.float64)
    return Rotation.from_rotvec(a / np.linalg.norm(a) * angle).as_matrix()


@dataclass
class ObjectSymmetry:
    """An object's symmetry group, model frame, metres.

    Attributes:
        discrete: ``(D, 4, 4)`` transforms, the identity first (so ``D >= 1``).
        axes: ``(C, 3)`` unit axes of continuous symmetries (``C`` is 0 or more).
        offsets: ``(C, 3)`` a point on each axis (metres).
    """
    discrete: np.ndarray = field(default_factory=lambda: np.eye(4)[None])
    axes: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    offsets: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))

    @property
    def is_symmetric(self) -> bool:
        return len(self.discrete) > 1 or len(self.axes) > 0

    @property
    def fully_symmetric(self) -> bool:
        """Two non-parallel continuous axes: every rotation (about the centre) is a symmetry."""
        for i in range(len(self.axes)):
            for j in range(i + 1, len(self.axes)):
                if np.linalg.norm(np.cross(self.axes[i], self.axes[j])) > 1e-3:
                    return True
        return False

    @classmethod
    def from_bop(cls, info: Dict, name: str = '?') -> 'ObjectSymmetry':
        """Parse one ``models_info.json`` entry (millimetres) into metres."""
        disc = [np.eye(4)]
        for k, flat in enumerate(info.get('symmetries_discrete', [])):
            T = np.asarray(flat, np.float64)
            if T.size != 16:
                raise ValueError(f'object {name!r}: symmetries_discrete[{k}] has {T.size} '
                                 'values; expected a flattened 4x4 transform (16 values)')
            T = T.reshape(4, 4).copy()
            R = T[:3, :3]
            if not np.allclose(R @ R.T, np.eye(3), atol=1e-4) or np.linalg.det(R) < 0:
                raise ValueError(f'object {name!r}: symmetries_discrete[{k}] is not a '
                                 'proper rotation (orthonormal, det +1)')
            T[:3, 3] /= 1000.0
            disc.append(T)
        axes, offsets = [], []
        for k, c in enumerate(info.get('symmetries_continuous', [])):
            if 'axis' not in c:
                raise ValueError(f'object {name!r}: symmetries_continuous[{k}] has no "axis"')
            a = np.asarray(c['axis'], np.float64)
            if a.shape != (3,) or np.linalg.norm(a) < 1e-9:
                raise ValueError(f'object {name!r}: symmetries_continuous[{k}].axis must be '
                                 f'3 numbers, not all zero; got {c["axis"]!r}')
            axes.append(a / np.linalg.norm(a))
            offsets.append(np.asarray(c.get('offset', [0, 0, 0]), np.float64) / 1000.0)
        return cls(np.stack(disc), np.asarray(axes).reshape(-1, 3),
                   np.asarray(offsets).reshape(-1, 3))

    def to_bop(self, diameter: float) -> Dict:
        """The ``models_info.json`` entry (millimetres) for ``diameter`` metres."""
        out = {'diameter': float(diameter * 1000)}
        if len(self.discrete) > 1:
            out['symmetries_discrete'] = []
            for T in self.discrete[1:]:
                T = T.copy()
                T[:3, 3] *= 1000.0
                out['symmetries_discrete'].append([float(v) for v in T.reshape(-1)])
        if len(self.axes):
            out['symmetries_continuous'] = [
                {'axis': [float(v) for v in a], 'offset': [float(v * 1000) for v in o]}
                for a, o in zip(self.axes, self.offsets)]
        return out

    def bop_transforms(self, max_sym_disc_step: float = 0.01) -> np.ndarray:
        """The symmetry set BOP's evaluation takes MSSD and MSPD over (bop_toolkit's
        ``misc.get_symmetry_transformations``, ``max_sym_disc_step`` 0.01 in its scripts),
        ``(N, 4, 4)`` model-frame transforms, metres: each continuous axis sampled at
        ``n = ceil(pi / max_sym_disc_step)`` angles ``2 pi k / n`` (``k = 0 .. n - 1``, so
        that the object's furthest point from the axis moves at most that fraction of the
        diameter between samples), the samples of every axis together (both axes of a
        ball), each composed after every discrete symmetry (identity first):
        ``R = C_R D_R``, ``t = C_R D_t + C_t``. Without continuous symmetries, the discrete
        set."""
        if not max_sym_disc_step > 0:
            raise ValueError(f'max_sym_disc_step must be > 0, got {max_sym_disc_step}')
        if not len(self.axes):
            return np.asarray(self.discrete, np.float64).copy()
        n = int(np.ceil(np.pi / max_sym_disc_step))
        cont = []
        for a, o in zip(self.axes, self.offsets):
            for k in range(n):
                C = np.eye(4)
                C[:3, :3] = axis_angle_matrix(a, 2 * np.pi * k / n)
                C[:3, 3] = o - C[:3, :3] @ o
                cont.append(C)
        return np.stack([C @ D for D in self.discrete for C in cont])


def read_models_info(models_root: str) -> Dict[str, Dict]:
    """``<models_root>/models_info.json`` as a dict (empty when the file is absent)."""
    path = osp.join(models_root, MODELS_INFO_FILE)
    if not osp.isfile(path):
        return {}
    try:
        with open(path) as f:
            info = json.load(f)
    except json.JSONDecodeError as e:
        raise ValueError(f'{path} is not valid JSON ({e}); expected BOP\'s models_info '
                         'format keyed by object name') from None
    if not isinstance(info, dict):
        raise ValueError(f'{path} must hold a JSON object keyed by object name')
    return info


def write_models_info(models_root: str, entries: Dict[str, Dict]) -> str:
    """Write (merge into) ``<models_root>/models_info.json``; returns its path."""
    info = read_models_info(models_root)
    info.update(entries)
    path = osp.join(models_root, MODELS_INFO_FILE)
    with open(path, 'w') as f:
        json.dump(info, f, indent=1, sort_keys=True)
    return path


def symmetry_residual(points: np.ndarray, transform: np.ndarray, vertices: np.ndarray,
                      faces: np.ndarray) -> float:
    """How far ``transform (4, 4)`` is from mapping the surface onto itself: the mean
    distance (metres) from the transformed surface ``points (N, 3)`` to the mesh
    ``vertices (V, 3)``, ``faces (F, 3)``."""
    from .sdf import exact_signed_distance
    moved = points @ transform[:3, :3].T + transform[:3, 3]
    return float(np.abs(exact_signed_distance(moved, vertices, faces)).mean())


def check_symmetry(points: np.ndarray, vertices: np.ndarray, faces: np.ndarray,
                   sym: ObjectSymmetry, diameter: float, tolerance: float = 0.01,
                   steps: int = 8) -> List[str]:
    """Symmetries that do not fit the mesh: those whose :func:`symmetry_residual` exceeds
    ``tolerance`` x ``diameter`` (continuous ones tried at ``steps`` angles), each
    described in a line (empty when all fit)."""
    bad = []
    for k, T in enumerate(sym.discrete[1:]):
        r = symmetry_residual(points, T, vertices, faces)
        if r > tolerance * diameter:
            bad.append(f'symmetries_discrete[{k}]: residual {r * 1000:.1f} mm')
    for k, (a, o) in enumerate(zip(sym.axes, sym.offsets)):
        for s in range(1, steps):
            Rc = axis_angle_matrix(a, 2 * np.pi * s / steps)
            T = np.eye(4)
            T[:3, :3], T[:3, 3] = Rc, o - Rc @ o
            r = symmetry_residual(points, T, vertices, faces)
            if r > tolerance * diameter:
                bad.append(f'symmetries_continuous[{k}] at {360 * s / steps:.0f} deg: '
                           f'residual {r * 1000:.1f} mm')
                break
    return bad
