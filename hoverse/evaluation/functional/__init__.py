from .alignment import align_procrustes, align_root, align_scale_translation
from .interaction import in_contact, intersection_volume, penetration_depth, signed_distance
from .keypoint_errors import keypoint_error_stats, pck_curve, point_distances
from .mesh_errors import chamfer_distance, f_score, nearest_distances
from .object_errors import (add_error, adds_error, center_error, corner_error, mssd_mspd,
                            nearest_symmetry_transform, symmetric_rotation_error,
                            swing_twist_errors, symmetry_transforms, transform_points)
from .simulation import (LONG_HORIZON_1S, OBMAN_PROTOCOL, SIMULATION_PROTOCOLS,
                         SimulationProtocol, simulation_displacement)

__all__ = [
    'align_procrustes', 'align_root', 'align_scale_translation',
    'in_contact', 'intersection_volume', 'penetration_depth', 'signed_distance',
    'simulation_displacement', 'keypoint_error_stats', 'pck_curve', 'point_distances',
    'chamfer_distance', 'f_score', 'nearest_distances', 'add_error', 'adds_error',
    'center_error', 'corner_error', 'transform_points', 'mssd_mspd', 'nearest_symmetry_transform',
    'symmetric_rotation_error', 'swing_twist_errors', 'symmetry_transforms',
    'SimulationProtocol', 'OBMAN_PROTOCOL',
    'LONG_HORIZON_1S', 'SIMULATION_PROTOCOLS'
]
