"""How good a model's object coordinate map is, and which part of it limits the rotation
read from it: the map, the mask, or the PnP solve."""
from collections import defaultdict
from typing import Dict, Iterable, List

import numpy as np
import torch

from hoverse.geometry.rotations import geodesic_distance
from hoverse.models.reconstructors.hand_object_reconstructor import PREDICT_ORDER

#: per-sample fields of :func:`probe_batch`
PROBE_FIELDS = ('map_l1', 'mask_iou', 'rot_pred', 'rot_true_mask', 'rot_true_map')


@torch.no_grad()
def probe_batch(model, data: dict) -> List[Dict]:
    """One preprocessed batch (``model.data_preprocessor(batch, False)`` of samples loaded
    with their masks) through a model whose ``object_head`` has a coordinate branch.

    Per sample: ``name``; ``map_l1``, the mean absolute error of the predicted normalised
    coordinates over the cells with a visible target (the targets drawn, as in training,
    from the true pose's symmetric equivalent nearest the prediction); ``mask_iou``, of
    the predicted object cells against the true ones; and three rotation errors (degrees,
    against that same equivalent) of PnP on: the predicted map over the predicted mask
    (``rot_pred``, what ``rot_readout='pnp'`` reports), the predicted map over the true
    visible cells (``rot_true_mask``), and the true map over them (``rot_true_map``: the
    encoding's own floor); where PnP finds no pose the regressed rotation is scored, as
    ``predict`` reports it. A fully symmetric object's rotations are NaN.
    """
    head = getattr(model, 'object_head', None)
    if head is None or head.coord_codec is None:
        raise ValueError('coordinate_map_probe needs a model whose object_head has a '
                         "coordinate branch (object_head.coord_map=dict(type="
                         "'ObjectCoordinateMap', ...))")
    inputs, samples = data['inputs'], data['data_samples']
    feats = model.extract_feat(inputs)
    for h in model.heads(PREDICT_ORDER):  # the heads' raw outputs, as in predict
        h.outputs(feats, samples)
    t = head.targets(feats, samples)
    if t['mask'] is None or t['templates'] is None:
        raise ValueError('coordinate_map_probe needs masks (LoadImage(with_mask=True)) and '
                         "the model's object templates (object_models_root)")
    names = [s.metainfo.get('obj_name') for s in samples]
    return probe_outputs(head, feats['obj_out'], t, names)


def probe_outputs(head, obj: Dict[str, torch.Tensor], t: Dict, names: List) -> List[Dict]:
    """:func:`probe_batch` on the object head's raw outputs ``obj`` (``coords``,
    ``coord_mask_logits``, ``rot``) and its targets ``t`` (:meth:`ObjectPoseHead.targets`)
    of the samples whose objects are ``names``."""
    R_gt, t_gt, rot_w, _ = head.assign(obj['rot'], t)
    codec = head.coord_codec
    coords, weight, visible = codec.encode(
        t['templates']['dense_samples'], t['obj_corners_rest'], R_gt, t_gt + t['root_cam'],
        t['cam_K'], t['mask'], head.mask_object_label)
    pred, logits = obj['coords'].float(), obj['coord_mask_logits'].float()
    cells = weight.sum((1, 2)).clamp(min=1)
    l1 = ((pred - coords).abs().mean(1) * weight).sum((1, 2)) / cells
    said = (torch.sigmoid(logits[:, 0]) > codec.mask_threshold).float()
    iou = (said * visible).sum((1, 2)) / ((said + visible) > 0).float().sum((1, 2)).clamp(min=1)
    true_logits = (weight * 20 - 10)[:, None]
    rot = {}
    for key, c, m in (('rot_pred', pred, logits), ('rot_true_mask', pred, true_logits),
                      ('rot_true_map', coords, true_logits)):
        # where PnP finds nothing the regressed rotation stands, as in predict()
        R, _ = codec.solve(c, m, t['obj_corners_rest'], t['cam_K'], obj['rot'])
        rot[key] = torch.rad2deg(geodesic_distance(R.float(), R_gt.float()))
    rows = []
    for i, name in enumerate(names):
        sym_free = bool(rot_w[i] > 0)
        rows.append(dict(name=name, map_l1=float(l1[i]),
                         mask_iou=float(iou[i]),
                         **{k: float(v[i]) if sym_free else float('nan')
                            for k, v in rot.items()}))
    return rows


def summarise_probe(rows: Iterable[Dict]) -> Dict[str, Dict[str, float]]:
    """Medians of :data:`PROBE_FIELDS` per object and over ``'all'`` (NaNs left out),
    with ``count`` samples."""
    groups = defaultdict(list)
    for r in rows:
        groups[r['name']].append(r)
        groups['all'].append(r)
    out = {}
    for name, rs in groups.items():
        entry = dict(count=len(rs))
        for k in PROBE_FIELDS:
            v = np.array([r[k] for r in rs], np.float64)
            v = v[np.isfinite(v)]
            entry[k] = float(np.median(v)) if len(v) else float('nan')
        out[name] = entry
    return out
