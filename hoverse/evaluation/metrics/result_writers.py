"""Result files in the formats the official HO3D and Dex-YCB evaluations read."""
import json
import os.path as osp
import zipfile
from typing import List, Sequence, Tuple

import numpy as np

from hoverse.geometry.camera import CV_TO_GL
from hoverse.geometry.mirror import mirror_points
from hoverse.hand_models.joint_orders import DEXYCB_FROM_CANONICAL, HO3D_FROM_CANONICAL

#: OpenCV camera frame (x right, y down, z forward) <-> HO3D's OpenGL frame (y up, z back)
#: Dex-YCB's left hands are mirrored (x -> -x) when loaded; mirror predictions back


def write_ho3d_submission(folder: str, joints_cam: Sequence[np.ndarray],
                          verts_cam: Sequence[np.ndarray]) -> Tuple[str, str]:
    """``pred.json = [xyz_list, verts_list]`` for HO3D's CodaLab server, and ``pred.zip``.

    Inputs are per sample, in evaluation.txt order, OpenCV camera frame, metres,
    canonical joint order; the file holds HO3D's joint order and OpenGL frame.
    """
    xyz = [(np.asarray(j)[list(HO3D_FROM_CANONICAL)] @ CV_TO_GL.T).tolist()
           for j in joints_cam]
    verts = [(np.asarray(v) @ CV_TO_GL.T).tolist() for v in verts_cam]
    json_path, zip_path = osp.join(folder, 'pred.json'), osp.join(folder, 'pred.zip')
    with open(json_path, 'w') as f:
        json.dump([xyz, verts], f)
    with zipfile.ZipFile(zip_path, 'w', zipfile.ZIP_DEFLATED) as z:
        z.write(json_path, arcname='pred.json')
    return json_path, zip_path


def read_ho3d_submission(path: str) -> Tuple[np.ndarray, np.ndarray]:
    """``pred.json`` (or a zip holding it) -> ``xyz (S, 21, 3)``, ``verts (S, V, 3)``."""
    if path.endswith('.zip'):
        with zipfile.ZipFile(path) as z:
            data = json.loads(z.read('pred.json'))
    else:
        with open(path) as f:
            data = json.load(f)
    if not (isinstance(data, list) and len(data) == 2):
        raise ValueError(f'{path}: expected [xyz_list, verts_list], got a '
                         f'{type(data).__name__} of length {len(data)}')
    return np.asarray(data[0], np.float64), np.asarray(data[1], np.float64)


def write_dexycb_results(path: str, sample_idx: Sequence[int],
                         joints_cam: Sequence[np.ndarray], is_left: Sequence[bool]) -> str:
    """Dex-YCB's HPE result file: per line the sample's index in the toolkit's numbering of
    the split and 63 comma-separated values, the 21 joints in Dex-YCB's order, camera frame,
    millimetres (left hands un-mirrored)."""
    lines: List[str] = []
    for i, j, left in zip(sample_idx, joints_cam, is_left):
        j = np.asarray(j, np.float64)[list(DEXYCB_FROM_CANONICAL)]
        if left:
            j = mirror_points(j)
        lines.append(','.join([str(int(i))] + [f'{v:.6f}' for v in (j * 1000).reshape(-1)]))
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return path


def read_dexycb_results(path: str) -> dict:
    """The result file back as ``{sample index: joints (21, 3) mm}``."""
    out = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            elems = line.strip().split(',')
            if len(elems) != 64:
                raise ValueError(f'{path}:{n}: expected 64 comma-separated values, got '
                                 f'{len(elems)}')
            out[int(elems[0])] = np.array(elems[1:], np.float64).reshape(21, 3)
    return out
