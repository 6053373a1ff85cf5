"""A tiny HO3D v2 tree in the official format (Python-2 pickles, OpenGL frame)."""
import os
import os.path as osp
import pickle
from typing import Dict, List

import cv2
import numpy as np
import torch

from hoverse.hand_models import MANOLayer

GL = np.diag([1.0, -1.0, -1.0])
K = np.array([[614.0, 0, 320.0], [0, 614.0, 240.0], [0, 0, 1.0]])


def _frame(layer: MANOLayer, rng: np.random.Generator, obj_name: str) -> Dict:
    pose = np.concatenate([rng.normal(0, 0.4, 3), rng.normal(0, 0.25, 45)])
    betas = rng.normal(0, 0.5, 10)
    trans = np.array([rng.uniform(-0.05, 0.05), rng.uniform(-0.05, 0.05), -rng.uniform(0.45, 0.6)])
    out = layer(torch.tensor(pose[None, :3], dtype=torch.float32),
                torch.tensor(pose[None, 3:], dtype=torch.float32),
                torch.tensor(betas[None], dtype=torch.float32),
                torch.tensor(trans[None], dtype=torch.float32))
    joints_gl = out['joints'][0].double().numpy()
    corners = np.array([[x, y, z] for x in (-0.03, 0.03) for y in (-0.04, 0.04)
                        for z in (-0.06, 0.06)])
    return {
        'handPose': pose, 'handTrans': trans, 'handBeta': betas, 'handJoints3D': joints_gl,
        'objRot': rng.normal(0, 1, (3, 1)), 'objTrans': joints_gl[0] + rng.normal(0, 0.03, 3),
        'objCorners3DRest': corners, 'objName': obj_name, 'objLabel': 3, 'camMat': K.copy(),
    }


def write_ho3d_fixture(root: str, mano_path: str, models_root: str = None,
                       obj_name: str = 'box', seed: int = 0) -> Dict[str, List[str]]:
    """Write ``root/{train,evaluation}/...``, ``train.txt``, ``evaluation.txt``.

    Train: sequence ``ABF10`` with 4 annotated frames and one frame whose annotation is
    ``None`` (HO3D's unannotated frames); evaluation: ``SM1`` with 2 frames carrying only the
    root joint and a hand box. Returns the split lists and the GL-frame joints per id.
    """
    rng = np.random.default_rng(seed)
    layer = MANOLayer(mano_path)
    lists = {'train': [], 'evaluation': []}
    joints = {}
    for split, seq, n in (('train', 'ABF10', 5), ('evaluation', 'SM1', 2)):
        for sub in ('rgb', 'meta'):
            os.makedirs(osp.join(root, split, seq, sub), exist_ok=True)
        for i in range(n):
            fid = f'{i:04d}'
            meta = _frame(layer, rng, obj_name)
            joints[f'{seq}/{fid}'] = meta['handJoints3D']
            if split == 'evaluation':
                uv = (meta['handJoints3D'] @ GL.T) @ K.T
                uv = uv[:, :2] / uv[:, 2:]
                meta['handBoundingBox'] = [*uv.min(0), *uv.max(0)]
                meta['handJoints3D'] = meta['handJoints3D'][0]
                for key in ('handPose', 'handTrans', 'handBeta'):
                    meta.pop(key)
            elif i == n - 1:  # an unannotated frame
                meta['handPose'] = None
                meta['handJoints3D'] = None
            with open(osp.join(root, split, seq, 'meta', f'{fid}.pkl'), 'wb') as f:
                pickle.dump(meta, f, protocol=2)
            img = rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)
            cv2.imwrite(osp.join(root, split, seq, 'rgb', f'{fid}.png'), img)
            lists[split].append(f'{seq}/{fid}')
        with open(osp.join(root, f'{split}.txt'), 'w') as f:
            f.write('\n'.join(lists[split]) + '\n')
    return dict(lists=lists, joints_gl=joints)
