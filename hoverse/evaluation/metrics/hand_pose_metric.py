"""Hand joint and mesh errors as the HO3D and Dex-YCB benchmarks define them."""
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger, print_log

from hoverse.evaluation.functional import (align_procrustes, align_root,
                                           align_scale_translation, f_score,
                                           keypoint_error_stats, point_distances)
from hoverse.hand_models.joint_orders import NUM_JOINTS
from hoverse.registry import METRICS

from ._utils import first, sort_by_index
from .result_writers import write_dexycb_results, write_ho3d_submission


#: canonical joints (hoverse.hand_models.joint_orders) by distance from the wrist along
#: the fingers: the fingertips are what shows a grasp's articulation
JOINT_LEVELS = (('wrist', [0]), ('MCP', [1, 4, 7, 10, 13]), ('PIP', [2, 5, 8, 11, 14]),
                ('DIP', [3, 6, 9, 12, 15]), ('tip', [16, 17, 18, 19, 20]))


@METRICS.register_module()
class HandPoseMetric(BaseMetric):
    """Hand errors in millimetres (prefix ``hand/``), in the image's camera frame.

    Joints (``mpjpe``) and mesh vertices (``mpvpe``), each raw (``mpjpe``), root-relative
    (``rr_``), scale-translation aligned as HO3D defines it (``st_``, joints only: scale by
    the wrist to middle-MCP bone, then match the wrist) and Procrustes aligned (``pa_``,
    similarity with reflection, as HO3D's and Dex-YCB's code compute it). Each has an AUC
    (``*_auc``) of the PCK curve over ``auc_range`` mm in ``auc_steps`` steps; errors are
    averaged per joint then over joints, as the official code does. Mesh F-scores at
    ``f_thresholds`` mm, raw (``f5``) and aligned (``pa_f5``). With D-BFAM's 2D joints
    in the predictions, ``kpt2d_error``: their mean distance to the true 2D joints in
    crop pixels (at the model's input size), and in the log the same by joint level
    (wrist, MCP, PIP, DIP, fingertips).

    Args:
        result_format: also write a result file: ``'ho3d'`` (``pred.json`` and
            ``pred.zip`` for the HO3D CodaLab server) or ``'dexycb'`` (Dex-YCB's HPE
            result file); ``outfile_prefix`` is its folder.
        format_only: only write the result file (test sets whose ground truth is hidden).
    """
    default_prefix = 'hand'

    def __init__(self, auc_range: Sequence[float] = (0.0, 50.0), auc_steps: int = 100,
                 f_thresholds: Sequence[float] = (5.0, 15.0),
                 result_format: Optional[str] = None, outfile_prefix: Optional[str] = None,
                 format_only: bool = False, collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if result_format not in (None, 'ho3d', 'dexycb'):
            raise ValueError(f"result_format must be None, 'ho3d' or 'dexycb', got "
                             f'{result_format!r}')
        if format_only and result_format is None:
            raise ValueError('format_only=True needs a result_format to write')
        self.auc_range, self.auc_steps = tuple(auc_range), auc_steps
        self.f_thresholds = tuple(f_thresholds)
        self.result_format, self.format_only = result_format, format_only
        self.outfile_prefix = outfile_prefix

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for s in data_samples:
            pred, gt = s['pred_instances'], s.get('gt_instances', {})
            idx = int(s.get('sample_idx', len(self.results)))
            r = dict(sample_idx=idx, official_index=int(s.get('official_index', idx)),
                     joints=first(pred, 'joints_cam'), verts=first(pred, 'verts_cam'),
                     is_left=bool(s.get('is_left', False)))
            if not self.format_only and 'orig_joints_cam' in gt and \
                    float(first(gt, 'joints_valid').reshape(-1)[0]) > 0.5:
                # camera-frame ground truth, packed beside the crop-frame one
                r['gt_joints'] = first(gt, 'orig_joints_cam')
                if 'orig_verts_cam' in gt:
                    r['gt_verts'] = first(gt, 'orig_verts_cam')
                if 'hand_kpts_2d' in pred and 'keypoints_2d' in gt:
                    r['kpts_2d'] = first(pred, 'hand_kpts_2d')
                    r['gt_kpts_2d'] = first(gt, 'keypoints_2d')
            self.results.append(r)

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        results = sort_by_index(results)
        expected = (self.dataset_meta or {}).get('num_joints')
        if results and expected is not None and len(results[0]['joints']) != expected:
            raise ValueError(f"HandPoseMetric: the model predicts {len(results[0]['joints'])} "
                             f'joints but the dataset describes {expected} '
                             f"({(self.dataset_meta or {}).get('dataset_name')}'s metainfo)")
        if self.result_format is not None:
            self._write(results)
        if self.format_only:
            return {}
        scored = [r for r in results if 'gt_joints' in r]
        if not scored:
            MMLogger.get_current_instance().warning(
                'HandPoseMetric: no sample has ground-truth joints; nothing to score')
            return {}
        out = self._joint_metrics(scored)
        in_2d = [r for r in scored if 'kpts_2d' in r]
        if in_2d:  # D-BFAM's 2D joints, crop pixels: the stage every 3D estimate reads
            d2 = np.stack([point_distances(r['kpts_2d'], r['gt_kpts_2d']) for r in in_2d])
            out['kpt2d_error'] = float(d2.mean())
            if d2.shape[1] == NUM_JOINTS:  # the canonical order: levels are defined
                print_log('2D joint error by level (crop px): ' + ', '.join(
                    f'{name} {d2[:, idx].mean():.1f}' for name, idx in JOINT_LEVELS),
                    logger='current')
        meshes = [r for r in scored if 'gt_verts' in r]
        if meshes:
            out.update(self._mesh_metrics(meshes))
        return out

    def _stats(self, dists: np.ndarray, name: str) -> Dict[str, float]:
        lo, hi = self.auc_range
        st = keypoint_error_stats(np.asarray(dists) * 1000.0, lo, hi, self.auc_steps)
        return {name: st['mean'], f'{name}_auc': st['auc']}

    def _joint_metrics(self, rs: List[dict]) -> Dict[str, float]:
        aligned = dict(mpjpe=lambda p, g: p, rr_mpjpe=align_root,
                       st_mpjpe=align_scale_translation, pa_mpjpe=align_procrustes)
        out = {}
        for name, fn in aligned.items():
            d = [point_distances(fn(r['joints'], r['gt_joints']), r['gt_joints']) for r in rs]
            out.update(self._stats(d, name))
        return out

    def _mesh_metrics(self, rs: List[dict]) -> Dict[str, float]:
        out = {}
        raw, rr, pa, fs, pa_fs = [], [], [], [], []
        for r in rs:
            v, g = r['verts'], r['gt_verts']
            va = align_procrustes(v, g)
            raw.append(point_distances(v, g))
            rr.append(point_distances(v - r['joints'][0] + r['gt_joints'][0], g))
            pa.append(point_distances(va, g))
            fs.append([f_score(v, g, t / 1000.0)[0] for t in self.f_thresholds])
            pa_fs.append([f_score(va, g, t / 1000.0)[0] for t in self.f_thresholds])
        for name, d in (('mpvpe', raw), ('rr_mpvpe', rr), ('pa_mpvpe', pa)):
            out.update(self._stats(d, name))
        fs, pa_fs = np.array(fs), np.array(pa_fs)
        for i, t in enumerate(self.f_thresholds):
            out[f'f{t:g}'] = float(fs[:, i].mean())
            out[f'pa_f{t:g}'] = float(pa_fs[:, i].mean())
        return out

    def _write(self, results: List[dict]) -> None:
        folder = self.outfile_prefix or '.'
        os.makedirs(folder, exist_ok=True)
        logger = MMLogger.get_current_instance()
        if self.result_format == 'ho3d':
            json_path, zip_path = write_ho3d_submission(
                folder, [r['joints'] for r in results], [r['verts'] for r in results])
            logger.info(f'HO3D submission: {json_path} and {zip_path} (upload the zip)')
        else:
            path = write_dexycb_results(
                osp.join(folder, 'dexycb_hpe_results.txt'),
                [r['official_index'] for r in results],
                [r['joints'] for r in results], [r['is_left'] for r in results])
            logger.info(f'Dex-YCB HPE result file: {path}')
