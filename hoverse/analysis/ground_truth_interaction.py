"""The ground truth's own interaction metrics: penetration, contact and simulation
displacement of the annotated hand and object, scored by the same ``InteractionMetric`` as
a model's prediction. A reconstruction that equalled the ground truth would score exactly
this, so it is the reference beside every fitted and unfitted number (on a set whose
annotated grasps only touch their objects, ObMan's simulation lets many objects fall)."""
from typing import Dict, Iterable, Optional

import numpy as np
import torch

from hoverse.geometry.camera import crop_rotation_to_camera, crop_to_camera


def ground_truth_as_prediction(sample, mano: torch.nn.Module) -> Optional[Dict]:
    """``sample`` (a packed test sample) with ``pred_instances`` holding its ground truth in
    the fields ``InteractionMetric`` reads (``verts_cam (1, 778, 3)``, ``obj_rot_cam
    (1, 3, 3)``, ``obj_trans_cam (1, 3)``, image camera frame, metres), as a dict like the
    ones the model's ``test_step`` gives the evaluator; None when the sample has no MANO
    annotation (a hidden evaluation split). ``mano``: a root-relative ``MANOLayer``."""
    gt = sample.gt_instances
    if 'mano_pose' not in gt or not float(np.asarray(gt.has_mano).reshape(-1)[0]):
        return None
    pose = torch.as_tensor(np.asarray(gt.mano_pose), dtype=torch.float32).reshape(1, -1)
    shape = torch.as_tensor(np.asarray(gt.mano_shape), dtype=torch.float32).reshape(1, -1)
    with torch.no_grad():
        verts = mano(pose[:, :3], pose[:, 3:], shape, root_relative=True)['verts'][0].numpy()
    root = np.asarray(gt.root_cam, np.float64).reshape(3)
    cam_rot = np.asarray(sample.metainfo.get('cam_rot', np.eye(3)), np.float64)
    rot = np.asarray(gt.obj_rot, np.float64).reshape(3, 3)
    trans = np.asarray(gt.obj_trans_rel, np.float64).reshape(3)
    out = dict(sample.metainfo)
    out['pred_instances'] = dict(
        verts_cam=crop_to_camera(verts + root, cam_rot)[None],
        obj_rot_cam=crop_rotation_to_camera(rot, cam_rot)[None],
        obj_trans_cam=crop_to_camera((trans + root)[None], cam_rot))
    return out


def ground_truth_interaction(batches: Iterable[Dict], metric, mano: torch.nn.Module
                             ) -> Dict[str, float]:
    """``metric`` (a built ``InteractionMetric``) over the ground truth of every sample of
    ``batches`` (a test dataloader's batches); its usual ``contact/...`` keys, and
    ``contact/num_samples``, the samples with a MANO annotation that it scored."""
    for batch in batches:
        samples = [ground_truth_as_prediction(s, mano) for s in batch['data_samples']]
        metric.process(batch, [s for s in samples if s is not None])
    num = len(metric.results)  # the samples whose object has a template
    if not num:
        return {}
    out = metric.evaluate(num)
    out[f'{metric.prefix}/num_samples'] = float(num)
    return out
