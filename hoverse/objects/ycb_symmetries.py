"""Symmetries of the YCB objects that HO3D v2 and Dex-YCB use, when their models folder has
no ``models_info.json``.

Source: the objects' shapes and plain appearance. The symmetric set is the one PoseCNN
(Xiang et al., RSS 2018) evaluates with ADD-S (024_bowl, 036_wood_block, 051_large_clamp,
052_extra_large_clamp, 061_foam_brick), plus 040_large_marker (a plain cylinder with a
cap: a continuous symmetry about its long axis, no flip). Every other HO3D / Dex-YCB object
(boxes and cans with printed labels, the mustard and bleach bottles, the banana, the
pitcher, the mug, the drill, the scissors) is treated as asymmetric: its texture or shape
fixes its pose.

Axes are given in the YCB scans' frame (``textured_simple.obj``: the object stands on its
base, z up) and pass through the centre of the mesh's bounding box, which
:class:`~hoverse.objects.ObjectLibrary` fills in at load time. The library checks each
entry against the mesh and warns when a symmetry does not map the surface onto itself; a
``models_info.json`` beside the templates always takes precedence over this table.
"""
from typing import Dict, Optional

import numpy as np

from .object_symmetry import ObjectSymmetry, axis_angle_matrix

#: name -> (discrete half-turn axes about the centre, continuous axes through the centre)
YCB_SYMMETRIES: Dict[str, Dict] = {
    '024_bowl': dict(half_turns=[], continuous=[[0, 0, 1]]),
    '036_wood_block': dict(half_turns=[[1, 0, 0], [0, 1, 0], [0, 0, 1]], continuous=[]),
    '040_large_marker': dict(half_turns=[], continuous=[[0, 0, 1]]),
    '051_large_clamp': dict(half_turns=[[0, 0, 1]], continuous=[]),
    '052_extra_large_clamp': dict(half_turns=[[0, 0, 1]], continuous=[]),
    '061_foam_brick': dict(half_turns=[[0, 0, 1]], continuous=[]),
}


def ycb_symmetry(name: str, center: np.ndarray) -> Optional[ObjectSymmetry]:
    """The table's symmetry of YCB object ``name`` about ``center (3,)`` (metres, its bbox
    centre), or ``None`` for an object the table does not list (asymmetric)."""
    entry = YCB_SYMMETRIES.get(name)
    if entry is None:
        return None
    c = np.asarray(center, np.float64)
    disc = [np.eye(4)]
    for axis in entry['half_turns']:
        T = np.eye(4)
        T[:3, :3] = axis_angle_matrix(np.asarray(axis, np.float64), np.pi)
        T[:3, 3] = c - T[:3, :3] @ c
        disc.append(T)
    axes = np.asarray(entry['continuous'], np.float64).reshape(-1, 3)
    return ObjectSymmetry(np.stack(disc), axes, np.repeat(c[None], len(axes), 0))
