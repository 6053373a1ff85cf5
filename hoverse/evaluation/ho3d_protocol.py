"""HO3D's published evaluation protocol, giving the keys and units of its ``scores.txt``.

Per sample: joints raw, scale-translation aligned (wrist to middle-MCP bone, then wrist)
and Procrustes aligned (similarity, reflections allowed); vertices raw and Procrustes
aligned (when the prediction is a 778-vertex MANO mesh; otherwise the joints' alignment is
applied to the vertices and the mesh errors are -1); F-scores of raw and aligned vertices
at 5 and 15 mm. Errors are averaged per point then over points; AUCs over 0-5 cm in 100
steps. Mean errors are written in centimetres, AUCs and F-scores as fractions.
"""
from collections import OrderedDict
from typing import Dict, Sequence

import numpy as np

from hoverse.geometry.procrustes import similarity_procrustes

from .functional import (align_procrustes, align_scale_translation, f_score,
                         keypoint_error_stats, point_distances)

SCORE_KEYS = ('xyz_mean3d', 'xyz_auc3d', 'xyz_procrustes_al_mean3d', 'xyz_procrustes_al_auc3d',
              'xyz_scale_trans_al_mean3d', 'xyz_scale_trans_al_auc3d', 'mesh_mean3d',
              'mesh_auc3d', 'mesh_al_mean3d', 'mesh_al_auc3d', 'f_score_5', 'f_al_score_5',
              'f_score_15', 'f_al_score_15')
F_THRESHOLDS = (0.005, 0.015)


def evaluate_ho3d(xyz_gt: Sequence, verts_gt: Sequence, xyz_pred: Sequence,
                  verts_pred: Sequence) -> 'OrderedDict[str, float]':
    """Scores of predictions against ground truth (all metres, same frame and order).

    ``xyz_*``: per sample ``(21, 3)``; ``verts_*``: per sample ``(V, 3)``. The
    prediction lists may be longer than the ground truth; only the first ``len(xyz_gt)``
    samples count.
    """
    n = len(xyz_gt)
    if len(xyz_pred) < n or len(verts_pred) < n:
        raise ValueError(f'{len(xyz_pred)} predicted joint sets and {len(verts_pred)} meshes '
                         f'for {n} ground-truth samples')
    d_xyz, d_st, d_pa, d_mesh, d_mesh_al, fs, fs_al = [], [], [], [], [], [], []
    is_mano = None
    for i in range(n):
        xg, vg = np.asarray(xyz_gt[i], np.float64), np.asarray(verts_gt[i], np.float64)
        xp, vp = np.asarray(xyz_pred[i], np.float64), np.asarray(verts_pred[i], np.float64)
        if xp.shape != xg.shape:
            raise ValueError(f'sample {i}: predicted joints {xp.shape}, expected {xg.shape}')
        if is_mano is None:
            is_mano = vp.shape[0] == vg.shape[0]
        d_xyz.append(point_distances(xp, xg))
        d_st.append(point_distances(align_scale_translation(xp, xg), xg))
        d_pa.append(point_distances(align_procrustes(xp, xg), xg))
        if is_mano:
            vp_al = align_procrustes(vp, vg)
            d_mesh.append(point_distances(vp, vg))
            d_mesh_al.append(point_distances(vp_al, vg))
        else:  # the joints' similarity transform, applied to the predicted vertices
            s, R, t = similarity_procrustes(xp, xg, allow_reflection=True)
            vp_al = s * vp @ R.T + t
        fs.append([f_score(vp, vg, t)[0] for t in F_THRESHOLDS])
        fs_al.append([f_score(vp_al, vg, t)[0] for t in F_THRESHOLDS])

    def stats(d):
        st = keypoint_error_stats(np.array(d), 0.0, 0.05, 100)
        return st['mean'] * 100.0, st['auc']  # centimetres

    out = OrderedDict()
    out['xyz_mean3d'], out['xyz_auc3d'] = stats(d_xyz)
    out['xyz_procrustes_al_mean3d'], out['xyz_procrustes_al_auc3d'] = stats(d_pa)
    out['xyz_scale_trans_al_mean3d'], out['xyz_scale_trans_al_auc3d'] = stats(d_st)
    if is_mano:
        out['mesh_mean3d'], out['mesh_auc3d'] = stats(d_mesh)
        out['mesh_al_mean3d'], out['mesh_al_auc3d'] = stats(d_mesh_al)
    else:  # the protocol's "not a MANO mesh" marker: -1 (errors in metres, written in cm)
        out['mesh_mean3d'], out['mesh_auc3d'] = -100.0, -1.0
        out['mesh_al_mean3d'], out['mesh_al_auc3d'] = -100.0, -1.0
    fs, fs_al = np.array(fs), np.array(fs_al)
    for k, t in enumerate(F_THRESHOLDS):
        out[f'f_score_{round(t * 1000)}'] = float(fs[:, k].mean())
        out[f'f_al_score_{round(t * 1000)}'] = float(fs_al[:, k].mean())
    return out


def format_scores(scores: Dict[str, float]) -> str:
    """``scores.txt`` text: one ``key: value`` line per score, ``%f`` formatted."""
    return ''.join(f'{k}: {scores[k]:f}\n' for k in SCORE_KEYS)
