"""Simulation displacement: how far a held object moves under gravity while the hand stays
fixed (pybullet, imported only here).

Two protocols, each a :class:`SimulationProtocol` with every parameter named:

- :data:`OBMAN_PROTOCOL` (``contact/sim_displacement``): the protocol of ObMan (Hasson et al.,
  CVPR 2019), as set in ``mano_train/simulation/simulate.py`` of ``hassony2/obman_train``
  (``process_sample`` and ``run_simulation``) and reused unchanged by GraspTTA: 35 steps of
  1/240 s, gravity 9.8 m/s^2 along +y (OpenCV camera frame: image down), 150 solver
  iterations, object mass 1 kg, lateral friction 3 for hand and object, restitution 0 (hand)
  and 0.5 (object), the object's centre of mass at its mean vertex, its collision shape a
  V-HACD decomposition at voxel resolution 1000. Published displacements use it.
- :data:`LONG_HORIZON_1S` (``contact/sim_displacement_1s``): 1 s (240 steps) with pybullet's
  defaults for friction, restitution and solver, mass from a density of 1000 kg/m^3, centre
  of mass at the volume centroid and V-HACD at its default resolution. Over 1 s most
  predictions that are not gripped firmly move far: it separates grasps that hold from
  grasps that only touch, and is not comparable with published numbers.
"""
import contextlib
import os
import sys
import tempfile
from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np


@dataclass(frozen=True)
class SimulationProtocol:
    """Every parameter of one simulation-displacement protocol (SI units).

    ``None`` leaves pybullet's default (friction 0.5, restitution 0, 50 solver iterations,
    V-HACD resolution 100000). ``object_mass`` ``None``: ``object_density`` x the volume.
    ``centre_of_mass``: ``'mean_vertex'`` or ``'volume'`` (the solid's centroid; the mean
    vertex when the mesh is not closed).
    """
    timestep: float = 1 / 240
    num_steps: int = 240
    gravity: float = 9.81
    solver_iterations: Optional[int] = None
    object_mass: Optional[float] = None
    object_density: float = 1000.0
    object_friction: Optional[float] = None
    hand_friction: Optional[float] = None
    object_restitution: Optional[float] = None
    hand_restitution: Optional[float] = None
    centre_of_mass: str = 'volume'
    vhacd: Optional[dict] = None

    @property
    def seconds(self) -> float:
        return self.timestep * self.num_steps


#: ObMan's protocol (``hassony2/obman_train``, ``mano_train/simulation/simulate.py``)
OBMAN_PROTOCOL = SimulationProtocol(
    timestep=1 / 240, num_steps=35, gravity=9.8, solver_iterations=150, object_mass=1.0,
    object_friction=3.0, hand_friction=3.0, object_restitution=0.5, hand_restitution=0.0,
    centre_of_mass='mean_vertex',
    vhacd=dict(resolution=1000, concavity=0.001, planeDownsampling=4,
               convexhullDownsampling=4, alpha=0.05, beta=0.0, pca=0, mode=0,
               maxNumVerticesPerCH=64, minVolumePerCH=0.0001))

#: hoverse's long-horizon variant: one second with pybullet's defaults
LONG_HORIZON_1S = SimulationProtocol(timestep=1 / 240, num_steps=240, gravity=9.81)

#: metric name (under ``contact/``) -> protocol
SIMULATION_PROTOCOLS = {'sim_displacement': OBMAN_PROTOCOL,
                        'sim_displacement_1s': LONG_HORIZON_1S}


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


def _centre_of_mass(obj, how: str) -> np.ndarray:
    if how == 'mean_vertex':
        return np.asarray(obj.vertices).mean(0)
    if how == 'volume':
        return np.asarray(obj.center_mass if obj.is_volume else obj.vertices.mean(0))
    raise ValueError(f"SimulationProtocol.centre_of_mass must be 'mean_vertex' or 'volume', "
                     f'got {how!r}')


def simulation_displacement(hand_verts: np.ndarray, hand_faces: np.ndarray,
                            obj_verts: np.ndarray, obj_faces: np.ndarray,
                            protocol: SimulationProtocol = OBMAN_PROTOCOL,
                            gravity_dir: Tuple[float, float, float] = (0.0, 1.0, 0.0),
                            workdir: Optional[str] = None) -> float:
    """Displacement (metres) of the object's centre of mass after ``protocol.num_steps``
    steps under gravity along ``gravity_dir`` (camera frame; the default, +y, is image down
    in OpenCV's frame), the hand a static triangle mesh (mass 0), the object its V-HACD
    decomposition (pybullet's convex hull of the mesh if V-HACD gives nothing).

    ``hand_verts (N, 3)``, ``obj_verts (M, 3)`` metres, faces ``(F, 3)`` int.
    """
    import pybullet as pb
    import trimesh
    if workdir:
        os.makedirs(workdir, exist_ok=True)
    # a fresh folder per call: pybullet caches meshes by file name within a process
    tmp = tempfile.mkdtemp(prefix='hoverse_sim_', dir=workdir)
    hand_path, obj_path = os.path.join(tmp, 'hand.obj'), os.path.join(tmp, 'object.obj')
    obj = trimesh.Trimesh(obj_verts, obj_faces, process=False)
    com = _centre_of_mass(obj, protocol.centre_of_mass)
    trimesh.Trimesh(hand_verts, hand_faces, process=False).export(hand_path)
    trimesh.Trimesh(obj_verts - com, obj_faces, process=False).export(obj_path)
    g = np.asarray(gravity_dir, np.float64)
    g = protocol.gravity * g / np.linalg.norm(g)
    cid = pb.connect(pb.DIRECT)
    try:
        vhacd_path = os.path.join(tmp, 'object_vhacd.obj')
        try:
            with _stdout_to_devnull():  # V-HACD prints its progress on stdout
                pb.vhacd(obj_path, vhacd_path, os.path.join(tmp, 'vhacd.log'),
                         physicsClientId=cid, **(protocol.vhacd or {}))
            shape_file = vhacd_path if os.path.getsize(vhacd_path) > 0 else obj_path
        except Exception:  # noqa: BLE001 - fall back to pybullet's convex hull
            shape_file = obj_path
        engine = dict(fixedTimeStep=protocol.timestep, enableFileCaching=0)
        if protocol.solver_iterations is not None:
            engine['numSolverIterations'] = protocol.solver_iterations
        pb.setPhysicsEngineParameter(physicsClientId=cid, **engine)
        pb.setGravity(*g.tolist(), physicsClientId=cid)
        hand_shape = pb.createCollisionShape(pb.GEOM_MESH, fileName=hand_path,
                                             flags=pb.GEOM_FORCE_CONCAVE_TRIMESH,
                                             physicsClientId=cid)
        hand = pb.createMultiBody(0, hand_shape, physicsClientId=cid)
        obj_shape = pb.createCollisionShape(pb.GEOM_MESH, fileName=shape_file,
                                            physicsClientId=cid)
        mass = protocol.object_mass
        if mass is None:
            volume = abs(obj.volume) if obj.is_volume else obj.convex_hull.volume
            mass = max(volume * protocol.object_density, 1e-3)
        body = pb.createMultiBody(mass, obj_shape, basePosition=com.tolist(),
                                  physicsClientId=cid)
        for uid, friction, restitution in (
                (hand, protocol.hand_friction, protocol.hand_restitution),
                (body, protocol.object_friction, protocol.object_restitution)):
            dyn = {k: v for k, v in (('lateralFriction', friction),
                                     ('restitution', restitution)) if v is not None}
            if dyn:
                pb.changeDynamics(uid, -1, physicsClientId=cid, **dyn)
        for _ in range(protocol.num_steps):
            pb.stepSimulation(physicsClientId=cid)
        pos = np.array(pb.getBasePositionAndOrientation(body, physicsClientId=cid)[0])
    finally:
        pb.disconnect(cid)
    return float(np.linalg.norm(pos - com))
