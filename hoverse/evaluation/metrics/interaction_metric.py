"""Physical plausibility of the predicted hand and object together."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmengine.evaluator import BaseMetric

from hoverse.evaluation.functional import (SIMULATION_PROTOCOLS, in_contact,
                                           intersection_volume, penetration_depth,
                                           simulation_displacement, transform_points)
from hoverse.geometry.mirror import mirror_faces, mirror_points
from hoverse.registry import METRICS

from ._utils import first


@METRICS.register_module()
class InteractionMetric(BaseMetric):
    """Contact and penetration of the predicted meshes (prefix ``contact/``).

    - ``penetration_depth`` (mm): deepest predicted hand vertex inside the object (the
      exact distance to the closest surface point).
    - ``intersection_volume`` (cm^3): volume inside both the (wrist-closed) hand and the
      object, on a ``voxel_size`` metre grid (0.5 cm as in ObMan; it cannot see overlaps
      thinner than about one voxel, ``voxel_size=0.001`` can, at ~100x the cost).
    - ``contact_ratio`` (%): samples with a hand vertex within ``contact_threshold``
      metres of the object surface, or inside it.
    - with ``simulate=True`` (needs pybullet), how far the object moves under gravity while
      the hand stays fixed, mm: ``sim_displacement`` under ObMan's protocol (35 steps of
      1/240 s; comparable with published numbers) and ``sim_displacement_1s`` under
      hoverse's one-second variant
      (:mod:`hoverse.evaluation.functional.simulation` names every parameter).

    Args:
        models_root: object templates (YCB layout). mano_path: MANO model (hand faces).
        simulate: ``True`` runs every protocol of ``SIMULATION_PROTOCOLS``; a list of
            their names (``['sim_displacement']``) runs those only.
        gravity_dir: gravity's direction in the camera frame (+y: image down, OpenCV).
    """
    default_prefix = 'contact'

    def __init__(self, models_root: str, mano_path: str = 'data/mano',
                 contact_threshold: float = 0.005, voxel_size: float = 0.005,
                 simulate: Union[bool, Sequence[str]] = False,
                 gravity_dir: Tuple[float, float, float] = (0.0, 1.0, 0.0),
                 collect_device: str = 'cpu', prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.models_root, self.mano_path = models_root, mano_path
        self.contact_threshold, self.voxel_size = contact_threshold, voxel_size
        if simulate is True:
            simulate = list(SIMULATION_PROTOCOLS)
        self.protocols = list(simulate or [])
        unknown = [p for p in self.protocols if p not in SIMULATION_PROTOCOLS]
        if unknown:
            raise ValueError(f'InteractionMetric(simulate=...): unknown protocol(s) {unknown}; '
                             f'expected True or names from {list(SIMULATION_PROTOCOLS)}')
        self.gravity_dir = tuple(gravity_dir)
        if self.protocols:
            import importlib.util
            if importlib.util.find_spec('pybullet') is None:
                raise ImportError('InteractionMetric(simulate=True) needs pybullet: '
                                  'pip install -r requirements/optional.txt')
        self._library = None
        self._hand_faces: Optional[np.ndarray] = None

    def _assets(self):
        if self._library is None:
            from hoverse.hand_models.mano_io import load_mano_pickle
            from hoverse.hand_models.mano_layer import resolve_mano_path
            from hoverse.hand_models.mesh_utils import closed_wrist_faces
            from hoverse.objects import ObjectLibrary
            self._library = ObjectLibrary.shared(self.models_root)
            faces = load_mano_pickle(resolve_mano_path(self.mano_path))['f']
            self._hand_faces = closed_wrist_faces(np.asarray(faces, np.int64))
        return self._library, self._hand_faces

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        lib, hand_faces = self._assets()
        for s in data_samples:
            name = s.get('obj_name')
            if name is None or name not in lib:
                continue
            pred = s['pred_instances']
            obj = lib[name]
            verts, faces = obj.vertices, obj.faces
            if s.get('obj_mirrored', False):
                # left hands were mirrored with their object; flip the winding too so the
                # reflected mesh keeps outward normals
                verts, faces = mirror_points(verts), mirror_faces(faces)
            hv = first(pred, 'verts_cam')
            ov = transform_points(verts, first(pred, 'obj_rot_cam'),
                                  first(pred, 'obj_trans_cam'))
            r = dict(depth=penetration_depth(hv, ov, faces) * 1000,
                     volume=intersection_volume(hv, hand_faces, ov, faces, self.voxel_size),
                     contact=in_contact(hv, ov, faces, self.contact_threshold))
            for name in self.protocols:
                r[name] = simulation_displacement(hv, hand_faces, ov, faces,
                                                  SIMULATION_PROTOCOLS[name],
                                                  self.gravity_dir) * 1000
            self.results.append(r)

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        if not results:
            return {}
        out = dict(penetration_depth=float(np.mean([r['depth'] for r in results])),
                   intersection_volume=float(np.mean([r['volume'] for r in results])),
                   contact_ratio=float(np.mean([r['contact'] for r in results]) * 100))
        for name in self.protocols:
            out[name] = float(np.mean([r[name] for r in results]))
        return out
