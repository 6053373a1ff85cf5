"""The ground truth's own interaction metrics: penetration, contact and simulation
displacement of the annotated hand and object, scored by the same ``InteractionMetric`` as
a model's prediction. A reconstruction that equalled the ground truth would score exactly
this, so it is the reference beside every fitted and unfitted number (on a set whose
annotated grasps only touch their objects, ObMan's simulation lets many objects fall)."""
from typing import Callable, Dict, Iterable, Optional


def ground_truth_as_prediction(sample) -> Optional[Dict]:
    """``sample`` (a packed test sample) as the dict a model's ``test_step`` gives the
    evaluator, its ``pred_instances`` holding the ground truth in the fields
    ``InteractionMetric`` reads (image camera frame, metres): the hand's
    ``orig_verts_cam`` (``MANOHead.add_gt_meshes`` puts it there) and the object's
    ``orig_obj_rot`` / ``orig_obj_trans`` (the targets' transform). None when it lacks one of
    them (a split that hides the hand)."""
    gt = sample.get('gt_instances')
    if gt is None or not all(k in gt for k in ('orig_verts_cam', 'orig_obj_rot',
                                               'orig_obj_trans')):
        return None
    out = dict(sample.metainfo)
    out['pred_instances'] = dict(verts_cam=gt.orig_verts_cam, obj_rot_cam=gt.orig_obj_rot,
                                 obj_trans_cam=gt.orig_obj_trans)
    return out


def ground_truth_interaction(batches: Iterable[Dict], metric,
                             add_gt_meshes: Callable) -> Dict[str, float]:
    """``metric`` (a built ``InteractionMetric``) over the ground truth of every sample of
    ``batches`` (a test dataloader's batches); its usual ``contact/...`` keys, and
    ``contact/num_samples``, the samples it scored. ``add_gt_meshes(samples, device)``:
    the model's ``mano_head.add_gt_meshes``, which poses each annotated hand."""
    import torch
    for batch in batches:
        add_gt_meshes(batch['data_samples'], torch.device('cpu'))
        samples = [ground_truth_as_prediction(s) for s in batch['data_samples']]
        metric.process(batch, [s for s in samples if s is not None])
    num = len(metric.results)  # the samples whose object has a template
    if not num:
        return {}
    out = metric.evaluate(num)
    out[f'{metric.prefix}/num_samples'] = float(num)
    return out
