from .camera import (apply_affine, backproject_points, crop_camera, get_crop_affine,
                     project_points)
from .procrustes import similarity_procrustes, similarity_procrustes_torch
from .rotations import (axis_angle_to_matrix, axis_angle_to_rot6d, geodesic_distance,
                        matrix_to_axis_angle, matrix_to_quaternion, matrix_to_rot6d,
                        quaternion_to_matrix, rot6d_to_matrix)

__all__ = [
    'apply_affine', 'backproject_points', 'crop_camera', 'get_crop_affine', 'project_points',
    'similarity_procrustes', 'similarity_procrustes_torch', 'axis_angle_to_matrix',
    'axis_angle_to_rot6d', 'geodesic_distance', 'matrix_to_axis_angle', 'matrix_to_quaternion',
    'matrix_to_rot6d', 'quaternion_to_matrix', 'rot6d_to_matrix'
]
