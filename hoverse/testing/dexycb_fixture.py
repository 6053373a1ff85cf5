"""A tiny Dex-YCB tree in the official layout (yml metas, npz labels, jpg frames)."""
import os
import os.path as osp
import shutil
from typing import Dict

import cv2
import numpy as np
import torch
import yaml

from hoverse.datasets.dexycb_splits import SERIALS, SUBJECTS
from hoverse.geometry.mirror import mirror_axis_angle, mirror_points
from hoverse.hand_models import MANOLayer, load_mano_pickle
from hoverse.hand_models.joint_orders import DEXYCB_FROM_CANONICAL
from hoverse.hand_models.mano_layer import resolve_mano_path


def write_dexycb_fixture(root: str, mano_path: str, objects_root: str,
                         num_sequences: int = 5, num_frames: int = 3,
                         left_sequences=(1, ), seed: int = 0) -> Dict:
    """One subject (``SUBJECTS[0]``), ``num_sequences`` sequences, 2 cameras.

    The grasped object is YCB id 5 (``006_mustard_bottle``), a copy of the procedural box;
    a second object (id 1) sits in ``pose_y`` too. In every sequence the last frame has no
    hand (``pose_m`` zero, joints -1). Sequences in ``left_sequences`` are left hands,
    written as the mirror images of right-hand frames.
    """
    rng = np.random.default_rng(seed)
    layer = MANOLayer(mano_path, flat_hand_mean=True)
    mano = load_mano_pickle(resolve_mano_path(mano_path))
    comps, mean = np.asarray(mano['hands_components']), np.asarray(mano['hands_mean'])
    serials = list(SERIALS[:2])
    os.makedirs(osp.join(root, 'calibration', 'intrinsics'), exist_ok=True)
    intr = {}
    for k, s in enumerate(serials):
        intr[s] = dict(fx=615.0 + k, fy=614.0 + k, ppx=320.0 + 3 * k, ppy=241.0 - k)
        with open(osp.join(root, 'calibration', 'intrinsics', f'{s}_640x480.yml'), 'w') as f:
            yaml.safe_dump({'color': intr[s]}, f)
    calib = '20200709-subject-01_right'
    betas = rng.normal(0, 0.5, 10)
    os.makedirs(osp.join(root, 'calibration', f'mano_{calib}'), exist_ok=True)
    with open(osp.join(root, 'calibration', f'mano_{calib}', 'mano.yml'), 'w') as f:
        yaml.safe_dump({'betas': betas.tolist()}, f)
    for name in ('006_mustard_bottle', '002_master_chef_can'):
        dst = osp.join(root, 'models', name)
        os.makedirs(dst, exist_ok=True)
        shutil.copy(osp.join(objects_root, 'box', 'textured_simple.obj'),
                    osp.join(dst, 'textured_simple.obj'))
    subject = SUBJECTS[0]
    records = {}
    for q in range(num_sequences):
        seq = f'20200709_14{q:04d}'
        left = q in left_sequences
        meta = dict(serials=serials, num_frames=num_frames, ycb_ids=[1, 5], ycb_grasp_ind=1,
                    mano_sides=['left' if left else 'right'], mano_calib=[calib])
        sdir = osp.join(root, subject, seq)
        os.makedirs(sdir, exist_ok=True)
        with open(osp.join(sdir, 'meta.yml'), 'w') as f:
            yaml.safe_dump(meta, f)
        for s in serials:
            K = np.array([[intr[s]['fx'], 0, intr[s]['ppx']], [0, intr[s]['fy'], intr[s]['ppy']],
                          [0, 0, 1.0]])
            os.makedirs(osp.join(sdir, s), exist_ok=True)
            for fi in range(num_frames):
                glob_r = rng.normal(0, 0.5, 3)
                aa = rng.normal(0, 0.2, 45)
                trans = np.array([rng.uniform(-.05, .05), rng.uniform(-.05, .05),
                                  rng.uniform(.5, .7)])
                out = layer(torch.tensor(glob_r[None], dtype=torch.float32),
                            torch.tensor(aa[None], dtype=torch.float32),
                            torch.tensor(betas[None], dtype=torch.float32),
                            torch.tensor(trans[None], dtype=torch.float32))
                joints = out['joints'][0].double().numpy()  # right hand, canonical order
                # the PCA coefficients of the right pose; a left hand's are the same in the
                # left model's basis (the right one mirrored)
                coeffs = np.linalg.solve(comps[:45].T, aa - mean)
                if left:  # store the mirror image, with the pose as a left hand's
                    joints = mirror_points(joints)
                    glob_r = mirror_axis_angle(glob_r)
                joint_3d = joints[list(DEXYCB_FROM_CANONICAL)]
                uv = joint_3d @ K.T
                joint_2d = uv[:, :2] / uv[:, 2:]
                pose_m = np.concatenate([glob_r, coeffs, trans])[None]
                if fi == num_frames - 1:  # no hand in this frame
                    pose_m = np.zeros((1, 51))
                    joint_3d = -np.ones((21, 3))
                    joint_2d = -np.ones((21, 2))
                pose_y = np.zeros((2, 3, 4))
                for o in range(2):
                    from scipy.spatial.transform import Rotation
                    pose_y[o, :, :3] = Rotation.from_rotvec(rng.normal(0, 1, 3)).as_matrix()
                    pose_y[o, :, 3] = joints[0] + rng.normal(0, 0.03, 3) if fi < num_frames - 1 \
                        else np.array([0, 0, 0.6])
                np.savez(osp.join(sdir, s, f'labels_{fi:06d}.npz'),
                         seg=np.zeros((480, 640), np.uint8), pose_y=pose_y.astype(np.float32),
                         pose_m=pose_m.astype(np.float32),
                         joint_3d=joint_3d[None].astype(np.float32),
                         joint_2d=joint_2d[None].astype(np.float32))
                img = rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)
                cv2.imwrite(osp.join(sdir, s, f'color_{fi:06d}.jpg'), img)
                records[(seq, s, fi)] = dict(joint_3d=joint_3d, joint_2d=joint_2d, left=left)
    return dict(serials=serials, records=records, subject=subject)
