"""An HO3D v2 or v3 stand-in: the synthetic scenes written as HO3D's own tree, read by the
same loaders and scored by the same evaluation as the real set.

``<out>/HO3D_v2`` (or ``HO3D_v3``)::

    train/<SEQ>/rgb/<FID>.png|jpg, depth/<FID>.png, seg/<FID>.png (v2), meta/<FID>.pkl
    evaluation/<SEQ>/rgb/..., depth/..., meta/<FID>.pkl   (the hand hidden but for its
                                                           root joint and box)
    train.txt, evaluation.txt                             (SEQ/FID, the submission order)
    evaluation_xyz.json, evaluation_verts.json            (the evaluation split's ground
                                                           truth, as HO3D released it)

and the objects in YCB's layout at ``<out>/YCB_models/<YCB name>/textured_simple.obj``.
Sequences carry real HO3D sequence names (those the configs hold out for validation
among them), one subject (a hand shape) and one object each, 640x480 images.
"""
import json
import os
import os.path as osp
import pickle
import shutil
import tempfile
import time
from typing import Dict, List, Sequence

import cv2
import numpy as np

from hoverse.geometry.camera import GL_TO_CV

from .ho3d import IMAGE_EXT, encode_depth, ho3d_meta, vertex_contacts
from .objects import YCB_IDS, write_stand_in_models

IMAGE_SIZE = (640, 480)
#: training sequences of the stand-in (real HO3D names)
TRAIN_SEQUENCES = ('ABF10', 'ABF11', 'BB10', 'BB11', 'GPMF10', 'GSF10', 'MDF10', 'SiBF10',
                   'ShSu10', 'SMu1')
#: training sequences the configs hold out for validation (``ho3d_v2.py``'s
#: ``val_sequences``): the stand-in writes them too
VAL_SEQUENCES = ('ABF14', 'BB14', 'GPMF14', 'GSF14', 'SiBF14')
#: evaluation sequences (real HO3D names)
EVAL_SEQUENCES = ('SM1', 'MPM10', 'SB11', 'AP10')


def _camera(rng: np.random.Generator) -> np.ndarray:
    """A sequence's intrinsics, near those of HO3D's cameras at 640x480."""
    f = rng.uniform(610.0, 620.0)
    return np.array([[f, 0, 320 + rng.normal(0, 3)], [0, f, 240 + rng.normal(0, 3)],
                     [0, 0, 1.0]])


def _frame(task: Dict) -> Dict:
    """Compose, render and write one frame (in a rendering worker); its ground truth."""
    from hoverse.synthesis import generate as gen
    scene = gen.compose_scene(task['idx'], task['seed'], task['obj'], K=task['K'],
                              betas=task['betas'])
    out = gen.render_scene(scene)
    version, split = task['version'], task['split']
    folder = osp.join(task['root'], split, task['seq'])
    subs = ('rgb', 'depth', 'meta') + (('seg', ) if version == 'v2' and split == 'train' else ())
    for sub in subs:
        os.makedirs(osp.join(folder, sub), exist_ok=True)
    fid = task['fid']
    cv2.imwrite(osp.join(folder, 'rgb', fid + IMAGE_EXT[version]), out['rgb'][..., ::-1],
                [cv2.IMWRITE_JPEG_QUALITY, 95])
    cv2.imwrite(osp.join(folder, 'depth', f'{fid}.png'), encode_depth(out['depth']))
    if 'seg' in subs:
        cv2.imwrite(osp.join(folder, 'seg', f'{fid}.png'), out['mask'])
    contacts = None
    if version == 'v3' and split == 'train':
        import trimesh
        lib = gen._STATE['lib']
        obj = lib[task['obj']]
        posed = trimesh.Trimesh(obj.vertices @ scene.R_obj.T + scene.t_obj, obj.faces,
                                process=False)
        grid = lib.sdf(task['obj'])

        def sdf(points: np.ndarray) -> np.ndarray:
            import torch
            model = (np.asarray(points) - scene.t_obj) @ scene.R_obj  # into the model frame
            return grid(torch.as_tensor(model, dtype=torch.float32)[None])[0].numpy()
        contacts = vertex_contacts(scene.hand_verts, posed, sdf)
    meta = ho3d_meta(scene, task['ycb'], YCB_IDS[task['ycb']], version, split, contacts)
    with open(osp.join(folder, 'meta', f'{fid}.pkl'), 'wb') as f:
        pickle.dump(meta, f, protocol=2)
    return dict(sid=f"{task['seq']}/{fid}", joints_gl=(scene.joints @ GL_TO_CV.T).tolist(),
                verts_gl=(scene.hand_verts @ GL_TO_CV.T).tolist())


#: stand-in sizes: training sequences and frames per training, validation (held-out
#: training) and evaluation sequence
SIZES = {'tiny': dict(sequences=2, frames=2, val_frames=1, eval_sequences=2, eval_frames=2),
         'standard': dict(sequences=10, frames=310, val_frames=40, eval_sequences=4,
                          eval_frames=50)}


def write_ho3d_standin(out_root: str, mano_path: str, version: str = 'v2',
                       frames_per_sequence: int = 310, val_frames_per_sequence: int = 40,
                       eval_frames_per_sequence: int = 50,
                       train_sequences: Sequence[str] = TRAIN_SEQUENCES,
                       val_sequences: Sequence[str] = VAL_SEQUENCES,
                       eval_sequences: Sequence[str] = EVAL_SEQUENCES, seed: int = 0,
                       workers: int = 2, progress: bool = True) -> Dict:
    """Write ``<out_root>/HO3D_<version>`` and ``<out_root>/YCB_models`` (module doc);
    returns the counts and the seconds it took. ``train.txt`` lists the training and the
    validation sequences (as HO3D's does: the configs hold the latter out)."""
    from hoverse.hand_models.mano_layer import resolve_mano_path

    from ..generate import render_in_workers
    from .objects import YCB_STAND_INS
    if version not in IMAGE_EXT:
        raise ValueError(f"HO3D version must be 'v2' or 'v3', got {version!r}")
    if min(frames_per_sequence, val_frames_per_sequence, eval_frames_per_sequence) < 1:
        raise ValueError('frames per sequence must be >= 1')
    resolve_mano_path(mano_path)  # a missing model fails here, not in every worker
    root = osp.join(out_root, f'HO3D_{version}')
    os.makedirs(root, exist_ok=True)
    write_stand_in_models(osp.join(out_root, 'YCB_models'))
    procedural = list(YCB_STAND_INS)
    rng = np.random.default_rng(seed)
    tasks: List[Dict] = []
    lists: Dict[str, List[str]] = {'train': [], 'evaluation': []}
    plan = [('train', s, frames_per_sequence) for s in train_sequences]
    plan += [('train', s, val_frames_per_sequence) for s in val_sequences]
    plan += [('evaluation', s, eval_frames_per_sequence) for s in eval_sequences]
    for k, (split, seq, n) in enumerate(plan):
        obj = procedural[k % len(procedural)]
        K, betas = _camera(rng), rng.normal(0, 0.6, 10)  # the sequence's camera and subject
        for i in range(n):
            fid = f'{i:04d}'
            lists[split].append(f'{seq}/{fid}')
            tasks.append(dict(idx=len(tasks), seed=seed, obj=obj, ycb=YCB_STAND_INS[obj],
                              K=K, betas=betas, version=version, split=split, seq=seq,
                              fid=fid, root=root))
    t0 = time.time()
    with tempfile.TemporaryDirectory() as scratch:  # the meshes under their own names
        from hoverse.objects import ObjectLibrary
        from hoverse.objects.procedural import write_procedural_objects
        write_procedural_objects(scratch, procedural)
        lib = ObjectLibrary(scratch)
        for name in procedural:  # SDF caches built once, read by the workers
            lib.sdf(name)
        results = render_in_workers(_frame, tasks, mano_path, scratch, IMAGE_SIZE, workers,
                                    progress=progress, label=f'HO3D {version} stand-in',
                                    chunksize=1)
    for split, ids in lists.items():
        with open(osp.join(root, f'{split}.txt'), 'w') as f:
            f.write('\n'.join(ids) + '\n')
    held = [r for r, t in zip(results, tasks) if t['split'] == 'evaluation']
    for key, name in (('joints_gl', 'evaluation_xyz.json'), ('verts_gl', 'evaluation_verts.json')):
        with open(osp.join(root, name), 'w') as f:
            json.dump([r[key] for r in held], f)
    return dict(root=root, version=version, train=len(lists['train']),
                evaluation=len(lists['evaluation']), seconds=time.time() - t0)


def copy_mano(out_root: str, mano_path: str) -> str:
    """Copy the MANO model into ``<out_root>/mano`` (the ``data/`` layout the configs
    read) unless it is there already; returns the folder."""
    from hoverse.hand_models.mano_layer import resolve_mano_path
    src = resolve_mano_path(mano_path)
    dst = osp.join(out_root, 'mano')
    os.makedirs(dst, exist_ok=True)
    target = osp.join(dst, osp.basename(src))
    if osp.abspath(src) != osp.abspath(target) and not osp.isfile(target):
        shutil.copy(src, target)
    return dst
