"""Hand joint orders and the maps between them.

Canonical hoverse order (21): MANO's 16 kinematic joints followed by the 5 fingertips::

    0 wrist | 1-3 index MCP,PIP,DIP | 4-6 middle | 7-9 little | 10-12 ring | 13-15 thumb
    16 thumb tip | 17 index tip | 18 middle tip | 19 ring tip | 20 little tip

A map ``X_FROM_CANONICAL`` lists, for each joint of order X, its canonical index, so
``joints_x = joints_canonical[..., X_FROM_CANONICAL, :]``; ``CANONICAL_FROM_X`` is its inverse.
"""
from typing import Sequence, Tuple

import numpy as np

NUM_JOINTS = 21

CANONICAL_JOINT_NAMES: Tuple[str, ...] = (
    'wrist', 'index1', 'index2', 'index3', 'middle1', 'middle2', 'middle3', 'little1',
    'little2', 'little3', 'ring1', 'ring2', 'ring3', 'thumb1', 'thumb2', 'thumb3',
    'thumb_tip', 'index_tip', 'middle_tip', 'ring_tip', 'little_tip')

#: Parent of each canonical joint (-1 for the wrist): MANO's kinematic tree plus the tips.
CANONICAL_PARENTS: Tuple[int, ...] = (
    -1, 0, 1, 2, 0, 4, 5, 0, 7, 8, 0, 10, 11, 0, 13, 14, 15, 3, 6, 12, 9)

#: Skeleton edges (child, parent) in canonical order, for drawing and graph convolution.
CANONICAL_SKELETON: Tuple[Tuple[int, int], ...] = tuple(
    (j, p) for j, p in enumerate(CANONICAL_PARENTS) if p >= 0)

#: HO3D stores MANO's 16 joints then the tips thumb, index, middle, ring, little: canonical.
HO3D_FROM_CANONICAL: Tuple[int, ...] = tuple(range(NUM_JOINTS))

#: OpenPose order: wrist, then each finger thumb..little from MCP (CMC for the thumb) to tip.
OPENPOSE_FROM_CANONICAL: Tuple[int, ...] = (
    0, 13, 14, 15, 16, 1, 2, 3, 17, 4, 5, 6, 18, 10, 11, 12, 19, 7, 8, 9, 20)

#: Dex-YCB's ``joint_3d`` follows the OpenPose order.
DEXYCB_FROM_CANONICAL: Tuple[int, ...] = OPENPOSE_FROM_CANONICAL


def invert_order(order: Sequence[int]) -> Tuple[int, ...]:
    """Inverse permutation: ``inv[order[i]] = i``."""
    inv = np.empty(len(order), dtype=np.int64)
    inv[np.asarray(order)] = np.arange(len(order))
    return tuple(int(i) for i in inv)


CANONICAL_FROM_HO3D = invert_order(HO3D_FROM_CANONICAL)
CANONICAL_FROM_OPENPOSE = invert_order(OPENPOSE_FROM_CANONICAL)
CANONICAL_FROM_DEXYCB = invert_order(DEXYCB_FROM_CANONICAL)

#: MANO vertex ids of the fingertips (thumb, index, middle, ring, little) used by HO3D's
#: annotations; the default for the hoverse MANO layer.
HO3D_TIP_VERTEX_IDS: Tuple[int, ...] = (744, 333, 444, 555, 672)
#: The fingertip ids smplx uses for MANO (``smplx.vertex_ids.vertex_ids['mano']``).
SMPLX_TIP_VERTEX_IDS: Tuple[int, ...] = (744, 320, 443, 554, 671)

#: Object keypoints: the 8 model-frame bbox corners then the centre, and the box graph.
OBJECT_KEYPOINT_NAMES: Tuple[str, ...] = tuple(f'corner{i}' for i in range(8)) + ('center', )
# corner i has bits (x, y, z) = (i >> 2 & 1, i >> 1 & 1, i & 1) of (min, max)
OBJECT_BOX_EDGES: Tuple[Tuple[int, int], ...] = tuple(
    (a, b) for a in range(8) for b in range(a + 1, 8) if bin(a ^ b).count('1') == 1)
OBJECT_SKELETON: Tuple[Tuple[int, int], ...] = OBJECT_BOX_EDGES + tuple((i, 8) for i in range(8))
