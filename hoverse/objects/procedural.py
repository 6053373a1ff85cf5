"""Procedural, YCB-sized objects written in the YCB layout (``<name>/textured_simple.obj``),
with their symmetries in ``models_info.json`` and a painted appearance for rendering.

The set mixes objects whose pose the image shows (a box with differently coloured faces
and a label, a bottle whose label's colour changes round it, a mug with its handle, a
banana with a dark stem) with symmetric ones (a plain can: a continuous symmetry about its
axis and a half-turn flip; a bowl: a continuous symmetry; a ball: fully symmetric). Appearance is
part of symmetry: a shape-symmetric object painted asymmetrically (the box, the bottle)
is listed as asymmetric, as BOP does for textured models.
"""
import os
import os.path as osp
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional

import numpy as np

from .object_symmetry import ObjectSymmetry, axis_angle_matrix, write_models_info


@dataclass
class ProceduralObject:
    """One procedural object: watertight ``mesh`` (trimesh, metres, centred near the origin),
    its ``symmetry``, ``paint(centres (F, 3), normals (F, 3)) -> (F, 3)`` RGB in [0, 1] per
    face in the model frame, and ``long_axis (3,)``, the axis a hand wraps around."""
    mesh: object
    symmetry: ObjectSymmetry
    paint: Callable[[np.ndarray, np.ndarray], np.ndarray]
    long_axis: np.ndarray

    def painted_mesh(self):
        """A copy with unshared vertices and per-vertex colours (flat per face), for the
        renderer: ``(vertices (3F, 3), faces (F, 3), colours (3F, 3))``."""
        m = self.mesh
        faces = np.asarray(m.faces)
        tri = np.asarray(m.vertices)[faces]  # (F, 3, 3)
        colours = np.clip(self.paint(tri.mean(1), np.asarray(m.face_normals)), 0, 1)
        verts = tri.reshape(-1, 3)
        return verts, np.arange(len(verts)).reshape(-1, 3), np.repeat(colours, 3, 0)


def _half_turn(axis) -> np.ndarray:
    T = np.eye(4)
    T[:3, :3] = axis_angle_matrix(np.asarray(axis, np.float64), np.pi)
    return T


def _union(parts):
    import trimesh
    return trimesh.boolean.union(parts, engine='manifold')


def _box() -> ProceduralObject:
    """A 5 x 7 x 12 cm box, each face its own colour, a dark label band on the +x face."""
    import trimesh
    mesh = trimesh.creation.box(extents=(0.05, 0.07, 0.12))
    mesh = mesh.subdivide().subdivide().subdivide()
    face_colours = {(0, 1): (0.85, 0.15, 0.1), (0, -1): (0.95, 0.85, 0.2),
                    (1, 1): (0.15, 0.55, 0.9), (1, -1): (0.2, 0.75, 0.3),
                    (2, 1): (0.95, 0.95, 0.95), (2, -1): (0.1, 0.1, 0.12)}

    def paint(c, n):
        axis = np.abs(n).argmax(1)
        sign = np.sign(n[np.arange(len(n)), axis]).astype(int)
        out = np.array([face_colours[(a, s)] for a, s in zip(axis, sign)])
        label = (axis == 0) & (sign > 0) & (c[:, 2] > 0.0) & (c[:, 2] < 0.04)
        out[label] = (0.1, 0.1, 0.35)
        return out
    return ProceduralObject(mesh, ObjectSymmetry(), paint, np.array([0, 0, 1.0]))


def _can() -> ProceduralObject:
    """A plain can (r 3.3 cm, 10 cm): symmetric about z, and under a half-turn about x."""
    import trimesh
    mesh = trimesh.creation.cylinder(radius=0.033, height=0.10, sections=48).subdivide()
    sym = ObjectSymmetry(np.stack([np.eye(4), _half_turn([1, 0, 0])]), np.array([[0, 0, 1.0]]),
                         np.zeros((1, 3)))

    def paint(c, n):
        out = np.tile([0.75, 0.75, 0.78], (len(c), 1))
        out[np.abs(c[:, 2]) < 0.03] = (0.8, 0.2, 0.15)  # label band, all around
        return out
    return ProceduralObject(mesh, sym, paint, np.array([0, 0, 1.0]))


def _bottle() -> ProceduralObject:
    """Body, shoulder, neck and cap along +z. The label's colour runs once round the hue
    circle with the angle about the axis, and a dark stripe marks its +x side, so that the
    spin about the axis shows from every side the label is seen from (a stripe alone faced
    away from the camera in more than half of the synthetic views)."""
    import trimesh
    body = trimesh.creation.cylinder(radius=0.03, height=0.11, sections=40)
    shoulder = trimesh.creation.cone(radius=0.03, height=0.035, sections=40)
    shoulder.apply_translation([0, 0, 0.055])
    neck = trimesh.creation.cylinder(radius=0.012, height=0.05, sections=24)
    neck.apply_translation([0, 0, 0.08])
    mesh = _union([body, shoulder, neck]).subdivide().subdivide()
    mesh.apply_translation([0, 0, -0.01])

    def paint(c, n):
        out = np.tile([0.9, 0.85, 0.3], (len(c), 1))
        ang = np.arctan2(c[:, 1], c[:, 0])
        label = np.abs(c[:, 2] + 0.01) < 0.035
        out[label] = hue_ramp(ang[label])
        out[label & (np.abs(ang) < 0.25)] = (0.1, 0.1, 0.2)
        out[c[:, 2] > 0.07] = (0.9, 0.1, 0.1)  # cap
        return out
    return ProceduralObject(mesh, ObjectSymmetry(), paint, np.array([0, 0, 1.0]))


def hue_ramp(angle: np.ndarray, saturation: float = 0.75, value: float = 0.9) -> np.ndarray:
    """``(N, 3)`` RGB in [0, 1]: the hue circle once round as ``angle (N,)`` (radians) goes
    from -pi to pi, so that each direction about an axis has its own colour."""
    h = (np.asarray(angle) / (2 * np.pi)) % 1.0 * 6.0
    k = (np.array([5.0, 3.0, 1.0]) + h[:, None]) % 6.0
    return value - value * saturation * np.clip(np.minimum(k, 4.0 - k), 0.0, 1.0)


def _mug() -> ProceduralObject:
    """A closed cup body with a ring handle on +x, fused into one watertight solid."""
    import trimesh
    body = trimesh.creation.cylinder(radius=0.04, height=0.095, sections=48)
    handle = trimesh.creation.torus(major_radius=0.028, minor_radius=0.007,
                                    major_sections=32, minor_sections=12)
    handle.apply_transform(trimesh.transformations.rotation_matrix(np.pi / 2, [1, 0, 0]))
    handle.apply_translation([0.045, 0.0, 0.0])
    mesh = _union([body, handle])

    def paint(c, n):
        out = np.tile([0.2, 0.45, 0.85], (len(c), 1))
        out[np.hypot(c[:, 0], c[:, 1]) > 0.042] = (0.95, 0.6, 0.1)  # handle
        out[c[:, 2] > 0.04] = (0.95, 0.95, 0.95)  # rim
        return out
    return ProceduralObject(mesh, ObjectSymmetry(), paint, np.array([0, 0, 1.0]))


def _bowl() -> ProceduralObject:
    """A solid, rounded bowl (a revolved profile): symmetric about z only."""
    import trimesh
    profile = np.array([[0.0, -0.025], [0.035, -0.025], [0.06, 0.0], [0.065, 0.025],
                        [0.05, 0.025], [0.03, 0.005], [0.0, 0.005]])
    mesh = trimesh.creation.revolve(profile, sections=48)
    sym = ObjectSymmetry(np.eye(4)[None], np.array([[0, 0, 1.0]]), np.zeros((1, 3)))

    def paint(c, n):
        out = np.tile([0.9, 0.9, 0.85], (len(c), 1))
        out[c[:, 2] > 0.02] = (0.2, 0.6, 0.3)  # rim
        return out
    return ProceduralObject(mesh, sym, paint, np.array([1.0, 0, 0]))


def _banana() -> ProceduralObject:
    """A curved tube (spheres along an arc, fused) with a dark stem at one end."""
    import trimesh
    parts = []
    for a in np.linspace(-0.9, 0.9, 10):
        r = 0.017 * (1 - 0.35 * abs(a))
        s = trimesh.creation.icosphere(subdivisions=2, radius=r)
        s.apply_translation([0.09 * (np.cos(a) - 0.8), 0.0, 0.09 * np.sin(a)])
        parts.append(s)
    stem = trimesh.creation.cylinder(radius=0.005, height=0.025, sections=12)
    stem.apply_translation([0.09 * (np.cos(0.9) - 0.8) - 0.006, 0, 0.09 * np.sin(0.9) + 0.01])
    mesh = _union(parts + [stem])

    def paint(c, n):
        out = np.tile([0.95, 0.85, 0.2], (len(c), 1))
        out[c[:, 2] > 0.075] = (0.35, 0.25, 0.1)  # stem
        out[c[:, 2] < -0.078] = (0.25, 0.2, 0.1)  # tip
        return out
    return ProceduralObject(mesh, ObjectSymmetry(), paint, np.array([0, 0, 1.0]))


def _ball() -> ProceduralObject:
    """A plain ball (r 3.5 cm): fully symmetric."""
    import trimesh
    mesh = trimesh.creation.icosphere(subdivisions=3, radius=0.035)
    sym = ObjectSymmetry(np.eye(4)[None], np.eye(3)[[0, 2]], np.zeros((2, 3)))
    return ProceduralObject(mesh, sym, lambda c, n: np.tile([0.9, 0.3, 0.5], (len(c), 1)),
                            np.array([0, 0, 1.0]))


#: name -> factory of a :class:`ProceduralObject` (metres, model frame centred near 0)
PROCEDURAL_OBJECTS: Dict[str, Callable[[], ProceduralObject]] = {
    'box': _box, 'can': _can, 'bottle': _bottle, 'mug': _mug, 'bowl': _bowl,
    'banana': _banana, 'ball': _ball}


#: ``<name>@mirror`` is the mirror image of ``<name>`` (x negated in its model frame): a
#: right hand grasping it, mirrored as a whole, is a left hand grasping ``<name>``
MIRROR_SUFFIX = '@mirror'


def mirrored_object(obj: ProceduralObject) -> ProceduralObject:
    """``obj``'s mirror image in its model frame (x -> -x): the mesh (winding reversed),
    its paint, its symmetries and its long axis."""
    import trimesh

    from hoverse.geometry.mirror import mirror_faces, mirror_points, mirror_transform
    mesh = trimesh.Trimesh(mirror_points(np.asarray(obj.mesh.vertices)),
                           mirror_faces(obj.mesh.faces), process=False)
    sym = obj.symmetry
    symmetry = ObjectSymmetry(mirror_transform(sym.discrete), mirror_points(sym.axes),
                              mirror_points(sym.offsets))

    def paint(centres: np.ndarray, normals: np.ndarray) -> np.ndarray:
        return obj.paint(mirror_points(centres), mirror_points(normals))
    return ProceduralObject(mesh, symmetry, paint, mirror_points(obj.long_axis))


def make_procedural_object(name: str) -> ProceduralObject:
    """The procedural object ``name`` (or, for ``<name>@mirror``, its mirror image)."""
    base = name[:-len(MIRROR_SUFFIX)] if name.endswith(MIRROR_SUFFIX) else name
    if base not in PROCEDURAL_OBJECTS:
        raise KeyError(f'unknown procedural object {name!r}; known: '
                       f'{", ".join(PROCEDURAL_OBJECTS)}')
    obj = PROCEDURAL_OBJECTS[base]()
    return mirrored_object(obj) if base != name else obj


def write_procedural_objects(out_dir: str, names: Optional[List[str]] = None,
                             aliases: Optional[Dict[str, str]] = None) -> List[str]:
    """Write each object to ``out_dir/<name>/textured_simple.obj`` (and ``points.xyz``) and
    its symmetries and diameter to ``out_dir/models_info.json``; ``aliases`` writes an
    object under another name (e.g. a YCB object's, for the official-layout stand-ins)."""
    import trimesh
    written, info = [], {}
    for proc_name in names or list(PROCEDURAL_OBJECTS):
        obj = make_procedural_object(proc_name)
        name = (aliases or {}).get(proc_name, proc_name)
        mesh = obj.mesh
        if not mesh.is_watertight:
            raise RuntimeError(f'procedural object {proc_name!r} is not watertight')
        folder = osp.join(out_dir, name)
        os.makedirs(folder, exist_ok=True)
        path = osp.join(folder, 'textured_simple.obj')
        mesh.export(path)
        pts, _ = trimesh.sample.sample_surface(mesh, 1000, seed=0)
        np.savetxt(osp.join(folder, 'points.xyz'), pts, fmt='%.6f')
        hull = np.asarray(mesh.convex_hull.vertices)
        diameter = float(np.linalg.norm(hull[:, None] - hull[None], axis=-1).max())
        info[name] = obj.symmetry.to_bop(diameter)
        written.append(path)
    write_models_info(out_dir, info)
    return written
