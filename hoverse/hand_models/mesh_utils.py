"""Mesh helpers for the hand: closing the wrist opening."""
from collections import defaultdict
from typing import List

import numpy as np


def boundary_loops(faces: np.ndarray) -> List[List[int]]:
    """Ordered vertex loops of the open boundary of a consistently oriented mesh."""
    count = defaultdict(int)
    for f in faces:
        for a, b in ((f[0], f[1]), (f[1], f[2]), (f[2], f[0])):
            count[(int(a), int(b))] += 1
    # a boundary half-edge has no twin; walk them in reverse so loops follow the faces' order
    nxt = {b: a for (a, b) in count if (b, a) not in count}
    loops, seen = [], set()
    for start in list(nxt):
        if start in seen:
            continue
        loop, v = [], start
        while v not in seen:
            seen.add(v)
            loop.append(v)
            v = nxt[v]
        loops.append(loop)
    return loops


def closed_wrist_faces(faces: np.ndarray) -> np.ndarray:
    """``faces`` plus a fan over each boundary loop (MANO's wrist), oriented consistently.

    Works for the real MANO topology and the surrogate alike: the wrist opening is found
    from the faces, not from hard-coded ids. Returns ``(F + sum(len(loop) - 2), 3)``.
    """
    extra = []
    for loop in boundary_loops(faces):
        for k in range(1, len(loop) - 1):
            extra.append((loop[0], loop[k], loop[k + 1]))
    if not extra:
        return np.asarray(faces, np.int64)
    return np.concatenate([np.asarray(faces, np.int64), np.asarray(extra, np.int64)])
