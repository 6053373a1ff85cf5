"""Hand-object interaction measures (numpy, metres in; units given per function).

Definitions follow the ObMan line of work (Hasson et al. 2019): penetration depth is the
largest depth of a hand vertex inside the object; intersection volume is the volume both
meshes occupy, voxelised; a sample is *in contact* when some hand vertex lies within a
threshold of the object surface or inside it.
"""
import numpy as np

from hoverse.objects.sdf import exact_signed_distance


def signed_distance(points: np.ndarray, verts: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Exact signed distance ``(N,)`` of ``points (N, 3)`` to a closed mesh, metres,
    negative inside: the distance to the closest surface point, signed by fast winding
    numbers (:func:`hoverse.objects.sdf.exact_signed_distance`)."""
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
