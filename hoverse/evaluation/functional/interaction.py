"""Hand-object interaction measures (numpy, metres in; units given per function).

Definitions follow the ObMan line of work (Hasson et al. 2019): penetration depth is the
largest depth of a hand vertex inside the object; intersection volume is the volume both
meshes occupy, voxelised; a sample is *in contact* when some hand vertex lies within a
threshold of the object surface or inside it.
"""
import contextlib
import os
import sys
from typing import Optional, Tuple

import numpy as np

from hoverse.objects.sdf import exact_signed_distance


def signed_distance(points: np.ndarray, verts: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Exact signed distance ``(N,)`` of ``points (N, 3)`` to a closed mesh, negative
    inside (fast winding numbers decide the sign)."""
    return np.asarray(exact_signed_distance(points, verts, faces))


def penetration_depth(hand_verts: np.ndarray, obj_verts: np.ndarray, obj_faces: np.ndarray
                      ) -> float:
    """Deepest hand vertex inside the object (metres; 0 when none is inside)."""
    d = signed_distance(hand_verts, obj_verts, obj_faces)
    return float(max(0.0, -d.min()))


def _voxel_centres(lo: np.ndarray, hi: np.ndarray, voxel: float) -> np.ndarray:
    axes = [np.arange(a + voxel / 2, b, voxel) for a, b in zip(lo, hi)]
    if any(len(a) == 0 for a in axes):
        return np.zeros((0, 3))
    return np.stack(np.meshgrid(*axes, indexing='ij'), -1).reshape(-1, 3)


def intersection_volume(hand_verts: np.ndarray, hand_faces: np.ndarray,
                        obj_verts: np.ndarray, obj_faces: np.ndarray,
                        voxel_size: float = 0.005) -> float:
    """Volume inside both closed meshes (cm^3), counted on a grid of ``voxel_size`` metres
    laid from the low corner of the two bounding boxes' overlap."""
    lo = np.maximum(hand_verts.min(0), obj_verts.min(0))
    hi = np.minimum(hand_verts.max(0), obj_verts.max(0))
    if np.any(hi <= lo):
        return 0.0
    centres = _voxel_centres(lo - voxel_size, hi + voxel_size, voxel_size)
    if len(centres) == 0:
        return 0.0
    inside = signed_distance(centres, obj_verts, obj_faces) < 0
    if inside.any():
        inside[inside] = signed_distance(centres[inside], hand_verts, hand_faces) < 0
    return float(inside.sum() * voxel_size**3 * 1e6)


def in_contact(hand_verts: np.ndarray, obj_verts: np.ndarray, obj_faces: np.ndarray,
               threshold: float = 0.005) -> bool:
    """Whether some hand vertex is within ``threshold`` metres of the object or inside."""
    return bool(signed_distance(hand_verts, obj_verts, obj_faces).min() <= threshold)


@contextlib.contextmanager
def _stdout_to_devnull():
    """Silence output written by C code to file descriptor 1."""
    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(null)
        os.close(saved)


def simulation_displacement(hand_verts: np.ndarray, hand_faces: np.ndarray,
                            obj_verts: np.ndarray, obj_faces: np.ndarray,
                            gravity: Tuple[float, float, float] = (0.0, 9.81, 0.0),
                            seconds: float = 1.0, timestep: float = 1 / 240,
                            obj_density: float = 1000.0, workdir: Optional[str] = None
                            ) -> float:
    """Displacement (metres) of the object's centre of mass after ``seconds`` under
    ``gravity`` (camera frame; the default pulls towards image bottom in OpenCV's frame)
    while the hand stays fixed (pybullet; the hand is a static triangle mesh, the object
    its convex decomposition by pybullet's V-HACD, or its convex hull if that fails).
    """
    import tempfile

    import pybullet as pb
    import trimesh
    if workdir:
        os.makedirs(workdir, exist_ok=True)
    # a fresh folder per call: pybullet caches meshes by file name within a process
    tmp = tempfile.mkdtemp(prefix='hoverse_sim_', dir=workdir)
    hand_path, obj_path = os.path.join(tmp, 'hand.obj'), os.path.join(tmp, 'object.obj')
    obj = trimesh.Trimesh(obj_verts, obj_faces, process=False)
    com = np.asarray(obj.center_mass if obj.is_volume else obj.vertices.mean(0))
    trimesh.Trimesh(hand_verts, hand_faces, process=False).export(hand_path)
    trimesh.Trimesh(obj_verts - com, obj_faces, process=False).export(obj_path)
    cid = pb.connect(pb.DIRECT)
    try:
        vhacd_path = os.path.join(tmp, 'object_vhacd.obj')
        try:
            with _stdout_to_devnull():  # V-HACD prints its progress on stdout
                pb.vhacd(obj_path, vhacd_path, os.path.join(tmp, 'vhacd.log'),
                         physicsClientId=cid)
            shape_file = vhacd_path if os.path.getsize(vhacd_path) > 0 else obj_path
        except Exception:  # noqa: BLE001 - fall back to pybullet's convex hull
            shape_file = obj_path
        pb.setGravity(*gravity, physicsClientId=cid)
        pb.setTimeStep(timestep, physicsClientId=cid)
        hand_shape = pb.createCollisionShape(pb.GEOM_MESH, fileName=hand_path,
                                             flags=pb.GEOM_FORCE_CONCAVE_TRIMESH,
                                             physicsClientId=cid)
        pb.createMultiBody(0, hand_shape, physicsClientId=cid)
        obj_shape = pb.createCollisionShape(pb.GEOM_MESH, fileName=shape_file,
                                            physicsClientId=cid)
        volume = abs(obj.volume) if obj.is_volume else obj.convex_hull.volume
        body = pb.createMultiBody(max(volume * obj_density, 1e-3), obj_shape,
                                  basePosition=com.tolist(), physicsClientId=cid)
        for _ in range(int(round(seconds / timestep))):
            pb.stepSimulation(physicsClientId=cid)
        pos = np.array(pb.getBasePositionAndOrientation(body, physicsClientId=cid)[0])
    finally:
        pb.disconnect(cid)
    return float(np.linalg.norm(pos - com))
