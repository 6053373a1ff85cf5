"""Procedural, YCB-sized objects written in the YCB layout (``<name>/textured_simple.obj``)."""
import os
import os.path as osp
from typing import Callable, Dict, List

import numpy as np


def _box():
    import trimesh
    return trimesh.creation.box(extents=(0.05, 0.07, 0.12))


def _cylinder():
    import trimesh
    return trimesh.creation.cylinder(radius=0.033, height=0.10, sections=48)


def _sphere():
    import trimesh
    return trimesh.creation.icosphere(subdivisions=3, radius=0.035)


def _mug():
    """A closed cup body with a ring handle, fused into one watertight solid."""
    import trimesh
    body = trimesh.creation.cylinder(radius=0.04, height=0.095, sections=48)
    handle = trimesh.creation.torus(major_radius=0.028, minor_radius=0.007,
                                    major_sections=32, minor_sections=12)
    handle.apply_transform(trimesh.transformations.rotation_matrix(np.pi / 2, [1, 0, 0]))
    handle.apply_translation([0.045, 0.0, 0.0])
    return trimesh.boolean.union([body, handle], engine='manifold')


#: name -> mesh factory (metres, model frame centred near the origin)
PROCEDURAL_OBJECTS: Dict[str, Callable] = {
    'box': _box, 'cylinder': _cylinder, 'sphere': _sphere, 'mug': _mug}


def write_procedural_objects(out_dir: str, names: List[str] = None) -> List[str]:
    """Write each object to ``out_dir/<name>/textured_simple.obj`` (and ``points.xyz``)."""
    import trimesh
    written = []
    for name in names or list(PROCEDURAL_OBJECTS):
        mesh = PROCEDURAL_OBJECTS[name]()
        if not mesh.is_watertight:
            raise RuntimeError(f'procedural object {name!r} is not watertight')
        folder = osp.join(out_dir, name)
        os.makedirs(folder, exist_ok=True)
        path = osp.join(folder, 'textured_simple.obj')
        mesh.export(path)
        pts, _ = trimesh.sample.sample_surface(mesh, 1000, seed=0)
        np.savetxt(osp.join(folder, 'points.xyz'), pts, fmt='%.6f')
        written.append(path)
    return written
