"""Physical plausibility of the predicted hand and object together."""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.evaluator import BaseMetric

from hoverse.evaluation.functional import (in_contact, intersection_volume, penetration_depth,
                                           simulation_displacement, transform_points)
from hoverse.geometry.camera import MIRROR_X_MATRIX
from hoverse.registry import METRICS

from ._utils import first


@METRICS.register_module()
class InteractionMetric(BaseMetric):
    """Contact and penetration of the predicted meshes (prefix ``contact/``).

    - ``penetration_depth`` (mm): deepest predicted hand vertex inside the object.
    - ``intersection_volume`` (cm^3): volume inside both the (wrist-closed) hand and the
      object, on a ``voxel_size`` metre grid (0.5 cm as in ObMan).
    - ``contact_ratio`` (%): samples with a hand vertex within ``contact_threshold``
      metres of the object surface, or inside it.
    - ``sim_displacement`` (mm, with ``simulate=True``, needs pybullet): how far the
      object moves in ``sim_seconds`` under gravity while the hand stays fixed.

    Args:
        models_root: object templates (YCB layout). mano_path: MANO model (hand faces).
    """
    default_prefix = 'contact'

    def __init__(self, models_root: str, mano_path: str = 'data/mano',
                 contact_threshold: float = 0.005, voxel_size: float = 0.005,
                 simulate: bool = False, sim_seconds: float = 1.0,
                 gravity: Tuple[float, float, float] = (0.0, 9.81, 0.0),
                 collect_device: str = 'cpu', prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.models_root, self.mano_path = models_root, mano_path
        self.contact_threshold, self.voxel_size = contact_threshold, voxel_size
        self.simulate, self.sim_seconds, self.gravity = simulate, sim_seconds, tuple(gravity)
        if simulate:
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
            self._library = ObjectLibrary(self.models_root)
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
                verts, faces = verts @ MIRROR_X_MATRIX, faces[:, ::-1]
            hv = first(pred, 'verts_cam')
            ov = transform_points(verts, first(pred, 'obj_rot_cam'),
                                  first(pred, 'obj_trans_cam'))
            r = dict(depth=penetration_depth(hv, ov, faces) * 1000,
                     volume=intersection_volume(hv, hand_faces, ov, faces, self.voxel_size),
                     contact=in_contact(hv, ov, faces, self.contact_threshold))
            if self.simulate:
                r['sim'] = simulation_displacement(hv, hand_faces, ov, faces, self.gravity,
                                                   self.sim_seconds) * 1000
            self.results.append(r)

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        if not results:
            return {}
        out = dict(penetration_depth=float(np.mean([r['depth'] for r in results])),
                   intersection_volume=float(np.mean([r['volume'] for r in results])),
                   contact_ratio=float(np.mean([r['contact'] for r in results]) * 100))
        if self.simulate:
            out['sim_displacement'] = float(np.mean([r['sim'] for r in results]))
        return out
