"""A Dex-YCB stand-in: the synthetic scenes written as Dex-YCB's own tree, read by the same
loader and scored by the same HPE protocol as the real set.

``<out>/dex_ycb``::

    <subject>/<YYYYMMDD_hhmmss>/meta.yml
    <subject>/<sequence>/<serial>/color_%06d.jpg, aligned_depth_to_color_%06d.png,
                                  labels_%06d.npz (seg, pose_y, pose_m, joint_3d, joint_2d)
    calibration/intrinsics/<serial>_640x480.yml
    calibration/mano_<subject>_<side>/mano.yml
    models/<YCB name>/textured_simple.obj

Every subject has ``sequences_per_subject`` sequences (sorted, as the toolkit indexes
them), every sequence the 8 camera serials and ``frames_per_sequence`` frames, the first of
them without a hand (as a real recording starts). A sequence is one subject (its own hand
shape, per side), one grasped object and one hand; every other sequence (subject index
plus sequence index odd) is a left hand. The 8 cameras see one grasp per frame, each from
its own drawn viewpoint: the views are not one calibrated rig, so no extrinsics are written
(the loader and the HPE evaluation do not read them).

A left hand is a right hand grasping the object's mirror image, the whole scene then
mirrored: the image and the annotations are flipped, the object becomes the real one, and
the MANO parameters are written for the left model (the right model's, mirrored; with
MANO's left PCA basis the mirror of its right one, the pose coefficients are the same).
"""
import os
import os.path as osp
import time
from typing import Dict, List

import cv2
import numpy as np
import yaml
from scipy.spatial.transform import Rotation

from hoverse.datasets.dexycb_splits import SERIALS, SUBJECTS
from hoverse.geometry.camera import project_points
from hoverse.geometry.mirror import (MIRROR, mirror_axis_angle, mirror_camera, mirror_image,
                                     mirror_points)
from hoverse.hand_models.joint_orders import DEXYCB_FROM_CANONICAL

from .objects import YCB_IDS, YCB_STAND_INS

IMAGE_SIZE = (640, 480)
#: Dex-YCB's segmentation label of the hand
HAND_LABEL = 255


def _intrinsics(rng: np.random.Generator) -> Dict[str, float]:
    f = float(rng.uniform(610.0, 620.0))
    return dict(fx=f, fy=f + float(rng.normal(0, 0.5)), ppx=float(320 + rng.normal(0, 4)),
                ppy=float(240 + rng.normal(0, 4)))


def _K(intr: Dict[str, float]) -> np.ndarray:
    return np.array([[intr['fx'], 0, intr['ppx']], [0, intr['fy'], intr['ppy']], [0, 0, 1.0]])


def _frame(task: Dict) -> Dict:
    """One frame of one sequence, every camera (in a rendering worker)."""
    from hoverse.synthesis import generate as gen
    left, Ks = task['left'], task['cameras']
    obj = task['obj'] + ('@mirror' if left else '')
    # a left hand: the right hand's scene, seen by the mirrored camera, then flipped
    cams = [mirror_camera(K, IMAGE_SIZE[0]) if left else K for K in Ks]
    scenes = gen.compose_views(task['idx'], task['seed'], obj, cams, betas=task['betas'])
    comps, mean = task['pca']
    ycb_id = YCB_IDS[task['ycb']]
    for serial, K, scene in zip(task['serials'], Ks, scenes):
        out = gen.render_scene(scene, hand=task['hand'])
        rgb, depth, mask = out['rgb'], out['depth'], out['mask']
        joints, R_obj, t_obj = scene.joints, scene.R_obj, scene.t_obj
        global_rv = Rotation.from_matrix(scene.R_g).as_rotvec()
        root_minus_j0 = joints[0] - scene.grasp.joints[0]
        if left:
            rgb, depth, mask = mirror_image(rgb), mirror_image(depth), mirror_image(mask)
            joints, global_rv = mirror_points(joints), mirror_axis_angle(global_rv)
            root_minus_j0 = mirror_points(root_minus_j0)
            # the mirrored template's pose, mirrored: the real template's pose
            R_obj, t_obj = MIRROR @ R_obj @ MIRROR, mirror_points(t_obj)
        coeffs = np.linalg.solve(comps.T, scene.grasp.hand_pose - mean)  # pose = c @ comps + m
        seg = np.zeros(mask.shape, np.uint8)
        seg[mask == 2], seg[mask == 1] = ycb_id, HAND_LABEL
        if task['hand']:
            pose_m = np.concatenate([global_rv, coeffs, root_minus_j0])[None]
            joint_3d = joints[list(DEXYCB_FROM_CANONICAL)]
            joint_2d = project_points(joint_3d, K)
        else:
            pose_m, joint_3d, joint_2d = np.zeros((1, 51)), -np.ones((21, 3)), -np.ones((21, 2))
        pose_y = np.concatenate([R_obj, t_obj[:, None]], 1)[None]
        folder = osp.join(task['root'], task['seq'], serial)
        os.makedirs(folder, exist_ok=True)
        f = task['frame']
        cv2.imwrite(osp.join(folder, f'color_{f:06d}.jpg'), rgb[..., ::-1],
                    [cv2.IMWRITE_JPEG_QUALITY, 95])
        cv2.imwrite(osp.join(folder, f'aligned_depth_to_color_{f:06d}.png'),
                    np.clip(np.round(depth * 1000), 0, 65535).astype(np.uint16))
        np.savez_compressed(osp.join(folder, f'labels_{f:06d}.npz'), seg=seg,
                            pose_y=pose_y.astype(np.float32), pose_m=pose_m.astype(np.float32),
                            joint_3d=joint_3d[None].astype(np.float32),
                            joint_2d=joint_2d[None].astype(np.float32))
    return dict(seq=task['seq'], frame=task['frame'])


def write_dexycb_standin(out_root: str, mano_path: str, num_subjects: int = 3,
                         sequences_per_subject: int = 5, frames_per_sequence: int = 4,
                         seed: int = 0, workers: int = 2, progress: bool = True) -> Dict:
    """Write ``<out_root>/dex_ycb`` (module doc); returns the counts and the seconds.

    s0 selects its splits by subject and by sequence index (validation: subjects 0 and 1,
    test: subjects 2-9, both on sequences 4, 9, ...; training on the others), so at least
    3 subjects and 5 sequences each give every split some frames. The subjects past
    ``num_subjects`` are written as empty folders."""
    from hoverse.hand_models.mano_io import load_mano_pickle
    from hoverse.hand_models.mano_layer import resolve_mano_path
    from hoverse.objects import ObjectLibrary
    from hoverse.objects.procedural import write_procedural_objects

    from ..generate import render_in_workers
    from .objects import write_stand_in_models
    if not 1 <= num_subjects <= len(SUBJECTS):
        raise ValueError(f'num_subjects must be in 1..{len(SUBJECTS)}, got {num_subjects}')
    if sequences_per_subject < 1 or frames_per_sequence < 2:
        raise ValueError('sequences_per_subject must be >= 1 and frames_per_sequence >= 2 '
                         '(the first frame has no hand)')
    mano = load_mano_pickle(resolve_mano_path(mano_path))
    pca = (np.asarray(mano['hands_components'], np.float64)[:45],
           np.asarray(mano['hands_mean'], np.float64))
    root = osp.join(out_root, 'dex_ycb')
    calib = osp.join(root, 'calibration')
    os.makedirs(osp.join(calib, 'intrinsics'), exist_ok=True)
    write_stand_in_models(osp.join(root, 'models'))
    rng = np.random.default_rng(seed)
    intrinsics = {s: _intrinsics(rng) for s in SERIALS}
    for s, intr in intrinsics.items():
        with open(osp.join(calib, 'intrinsics', f'{s}_640x480.yml'), 'w') as f:
            yaml.safe_dump(dict(color=intr, depth=intr), f)
    cameras = [_K(intrinsics[s]) for s in SERIALS]
    procedural = list(YCB_STAND_INS)
    tasks: List[Dict] = []
    for si, subject in enumerate(SUBJECTS[:num_subjects]):
        betas = {side: rng.normal(0, 0.6, 10) for side in ('right', 'left')}
        for side, b in betas.items():
            name = f'{subject}_{side}'
            os.makedirs(osp.join(calib, f'mano_{name}'), exist_ok=True)
            with open(osp.join(calib, f'mano_{name}', 'mano.yml'), 'w') as f:
                yaml.safe_dump(dict(betas=[float(v) for v in b]), f)
        date = subject.split('-')[0]
        for q in range(sequences_per_subject):
            seq = f'{subject}/{date}_{140000 + 100 * q:06d}'
            left = (si + q) % 2 == 1
            side = 'left' if left else 'right'
            obj = procedural[(si + q) % len(procedural)]
            meta = dict(serials=list(SERIALS), num_frames=frames_per_sequence,
                        ycb_ids=[YCB_IDS[YCB_STAND_INS[obj]]], ycb_grasp_ind=0,
                        mano_sides=[side], mano_calib=[f'{subject}_{side}'])
            os.makedirs(osp.join(root, seq), exist_ok=True)
            with open(osp.join(root, seq, 'meta.yml'), 'w') as f:
                yaml.safe_dump(meta, f)
            for fr in range(frames_per_sequence):
                tasks.append(dict(idx=len(tasks), seed=seed, obj=obj, ycb=YCB_STAND_INS[obj],
                                  betas=betas[side], left=left, hand=fr > 0, seq=seq,
                                  frame=fr, serials=list(SERIALS), cameras=cameras, pca=pca,
                                  root=root))
    for subject in SUBJECTS[num_subjects:]:  # present but empty: every split still resolves
        os.makedirs(osp.join(root, subject), exist_ok=True)
    t0 = time.time()
    import tempfile
    with tempfile.TemporaryDirectory() as scratch:  # the meshes and their mirror images
        names = procedural + [n + '@mirror' for n in procedural]
        write_procedural_objects(scratch, names)
        lib = ObjectLibrary(scratch)
        for n in names:
            lib.sdf(n)
        render_in_workers(_frame, tasks, mano_path, scratch, IMAGE_SIZE, workers,
                          progress=progress, label='Dex-YCB stand-in', chunksize=1)
    return dict(root=root, subjects=num_subjects, sequences=num_subjects * sequences_per_subject,
                images=len(tasks) * len(SERIALS), seconds=time.time() - t0)
