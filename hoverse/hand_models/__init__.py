from .joint_orders import *  # noqa: F401,F403
from .mano_io import MANO_ARRAY_SHAPES, check_mano_arrays, load_mano_pickle, to_numpy_only
from .mano_layer import MANOLayer, resolve_mano_path, warn_if_surrogate
from .mesh_utils import boundary_loops, closed_wrist_faces
from .surrogate import build_surrogate_mano, write_surrogate_mano

__all__ = [  # noqa: F405 (joint order tables come from the star import)
    'MANO_ARRAY_SHAPES', 'check_mano_arrays', 'load_mano_pickle', 'to_numpy_only', 'MANOLayer',
    'resolve_mano_path', 'warn_if_surrogate', 'boundary_loops', 'closed_wrist_faces',
    'build_surrogate_mano', 'write_surrogate_mano'
]
