"""Generate the synthetic hand-object set in the HO3D v2 layout (deterministic by seed).

Layout written under ``out_dir``::

    train/<SEQ>/{rgb,meta,mask,depth}/<FID>.png|.pkl   training, validation and test samples
    evaluation/<SEQ>/{rgb,meta,mask,depth}/...         held-out samples, HO3D's evaluation metas
    train.txt  val.txt  test.txt  evaluation.txt       split lists (SEQ/FID)
    evaluation_xyz.json  evaluation_verts.json         hidden ground truth of 'evaluation'
    models/<name>/textured_simple.obj                  the object templates used

The meta pickles and depth images are HO3D v2's, exactly (:mod:`.official.ho3d`: its keys,
OpenGL axes, float32, the depth in the red and green channels). What HO3D does not have:
``mask/`` (0 background, 1 hand, 2 object), ``val.txt`` and ``test.txt`` (held-out samples
with full ground truth), ``models/`` inside the root and
``generation.json`` (the settings, and the grasp types drawn).
"""
import json
import multiprocessing as mp
import os
import os.path as osp
import pickle
import time
from dataclasses import asdict, dataclass
from typing import Dict, List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np
from scipy.spatial.transform import Rotation

from hoverse.geometry.camera import GL_TO_CV, project_points

from .official.ho3d import encode_depth, ho3d_meta

#: (list, folder, sequence code) of each split, in the order samples are numbered (a split
#: added later comes last, so the earlier splits' samples stay as they were)
SPLITS = (('train', 'train', 'T'), ('val', 'train', 'V'), ('evaluation', 'evaluation', 'E'),
          ('test', 'train', 'S'))
FRAMES_PER_SEQ = 100
#: MANO joint index of the middle finger's MCP
MIDDLE_MCP = 4

_STATE: Dict = {}


def _init_worker(mano_path: str, models_root: str, image_size: int, prior: 'ViewPrior') -> None:
    """Worker set-up. A failure is kept and raised by the worker's first task: an
    initializer that raises makes ``multiprocessing.Pool`` respawn workers forever (the
    generation would hang instead of failing, e.g. without an OpenGL/EGL library)."""
    try:
        set_up_synthesis(mano_path, models_root, image_size, prior)
    except Exception as err:  # noqa: BLE001  (re-raised by _make_sample)
        _STATE['init_error'] = f'{type(err).__name__}: {err}'


def set_up_synthesis(mano_path: str, models_root: str, image_size: Union[int, Tuple[int, int]],
                     prior: Optional['ViewPrior'] = None) -> None:
    """Load the MANO layer, the object templates and the renderer into this process, for
    :func:`compose_scene` and :func:`render_scene` (each rendering worker does this once).
    ``image_size``: the side of square images, or ``(width, height)``."""
    import torch
    torch.set_num_threads(1)
    from hoverse.hand_models import MANOLayer
    from hoverse.objects import ObjectLibrary

    from hoverse.objects.procedural import (MIRROR_SUFFIX, PROCEDURAL_OBJECTS,
                                            make_procedural_object)

    from .renderer import HandObjectRenderer
    _STATE['layer'] = MANOLayer(mano_path)
    _STATE['lib'] = ObjectLibrary(models_root)
    # painted render meshes and grasp axes of the procedural objects, by name
    mirrored = [n for n in _STATE['lib'].names if n.endswith(MIRROR_SUFFIX)]
    _STATE['procedural'] = {n: make_procedural_object(n)
                            for n in list(PROCEDURAL_OBJECTS) + mirrored}
    _STATE['painted'] = {n: o.painted_mesh() for n, o in _STATE['procedural'].items()}
    if 'renderer' in _STATE:  # set up again in this process: free the old GL context first
        _release_renderer(_STATE.pop('renderer'))
    w, h = (image_size, image_size) if np.isscalar(image_size) else image_size
    _STATE['renderer'] = HandObjectRenderer(int(w), int(h))
    _STATE['size'] = (int(w), int(h))
    _STATE['prior'] = prior or ViewPrior()


#: renderers whose EGL display was already gone when released (kept, never finalised)
_UNRELEASABLE: List = []


def _release_renderer(renderer) -> None:
    """Delete ``renderer``'s GL context. pyrender terminates the EGL display, which all
    renderers of a process share, whenever any of them is deleted, so another renderer may
    have ended this one's display already: then it is kept referenced, so that its finaliser
    never runs against the display a later renderer initialises again."""
    try:
        renderer.close()
    except Exception:  # noqa: BLE001  (the context is gone with its display)
        _UNRELEASABLE.append(renderer)


@dataclass
class ViewPrior:
    """How the camera sees the hand (degrees).

    The canonical view has the fingers pointing up in the image and the palm (and the
    object in it) facing away from the camera, or towards it with ``palm_facing_prob``.
    Around it the hand tilts by up to ``max_tilt`` about a random axis in the image plane
    and rolls by up to ``max_roll`` about the optical axis. ``max_tilt=180, max_roll=180``
    gives uniformly random rotations.
    """
    max_tilt: float = 70.0
    max_roll: float = 90.0
    palm_facing_prob: float = 0.5


def _canonical_view(grasp, obj_center: np.ndarray, palm_facing: bool) -> np.ndarray:
    """(3, 3) rotation from the MANO frame to the canonical camera view of this grasp."""
    J0 = grasp.joints[0]
    up = grasp.joints[MIDDLE_MCP] - J0
    up /= np.linalg.norm(up)
    side = obj_center - J0  # the palm faces the object
    side = side - up * (side @ up)
    side /= max(np.linalg.norm(side), 1e-9)
    H = np.stack([up, np.cross(side, up), side], 1)  # hand axes as columns (right-handed)
    z = np.array([0, 0, -1.0 if palm_facing else 1.0])
    y = np.array([0, -1.0, 0])  # fingers point up in the image (camera -y)
    T = np.stack([y, np.cross(z, y), z], 1)
    return T @ H.T


def _sample_rotation(grasp, obj_center: np.ndarray, rng: np.random.Generator,
                     prior: ViewPrior) -> np.ndarray:
    if prior.max_tilt >= 180 and prior.max_roll >= 180:
        return Rotation.random(random_state=rng.integers(1 << 31)).as_matrix()
    R_view = _canonical_view(grasp, obj_center, rng.uniform() < prior.palm_facing_prob)
    a = rng.uniform(0, 2 * np.pi)
    tilt = np.deg2rad(prior.max_tilt) * np.sqrt(rng.uniform())  # uniform over the cap
    R_tilt = Rotation.from_rotvec(np.array([np.cos(a), np.sin(a), 0]) * tilt).as_matrix()
    roll = np.deg2rad(rng.uniform(-prior.max_roll, prior.max_roll))
    R_roll = Rotation.from_rotvec([0, 0, roll]).as_matrix()
    return R_roll @ R_tilt @ R_view


def _pose_in_camera(grasp, rng: np.random.Generator, obj, size: Tuple[int, int],
                    prior: Optional[ViewPrior] = None, K_fixed: Optional[np.ndarray] = None):
    """Global rotation (from ``prior``), camera and placement that keep everything in the
    ``size = (width, height)`` image; the camera is drawn, or ``K_fixed (3, 3)``."""
    prior = prior or ViewPrior()
    w, h = size
    J0 = grasp.joints[0]
    obj_pts = obj.samples @ grasp.obj_rot.T + grasp.obj_trans
    pts = np.concatenate([grasp.verts, obj_pts])
    c_l = pts.mean(0)
    for _ in range(50):
        R_g = _sample_rotation(grasp, obj_pts.mean(0), rng, prior)
        f = rng.uniform(330, 420) * min(w, h) / 256
        K = np.array([[f, 0, w / 2 + rng.normal(0, 3)], [0, f, h / 2 + rng.normal(0, 3)],
                      [0, 0, 1.0]])
        if K_fixed is not None:  # the draws above still happen: the stream stays the same
            K = np.asarray(K_fixed, np.float64)
        z = rng.uniform(0.4, 0.9)
        P = np.array([rng.uniform(-0.04, 0.04) * z, rng.uniform(-0.04, 0.04) * z, z])
        transl = P - R_g @ (c_l - J0) - J0
        cam = (pts - J0) @ R_g.T + J0 + transl
        uv = project_points(cam, K)
        if (cam[:, 2].min() > 0.1 and uv.min() > 4 and uv[:, 0].max() < w - 4
                and uv[:, 1].max() < h - 4):
            return R_g, K, transl
    return None


@dataclass
class Scene:
    """One composed sample before rendering (OpenCV camera frame, metres; the written metas
    are in HO3D's OpenGL frame).

    ``hand_verts (778, 3)``, ``joints (21, 3)``, the object's ``R_obj (3, 3)`` (model ->
    camera) and ``t_obj (3,)``, the camera ``K (3, 3)``, the hand's global rotation ``R_g``,
    the template ``obj``, ``grasp_axis (3,)`` (model frame: the axis held
    across the palm) and ``render_kwargs``: everything else the renderer is given (object
    mesh, background, colours, light), so that the same scene can be rendered again with
    the object posed differently."""
    grasp: object
    obj: object
    R_g: np.ndarray
    K: np.ndarray
    hand_verts: np.ndarray
    joints: np.ndarray
    R_obj: np.ndarray
    t_obj: np.ndarray
    obj_model_verts: np.ndarray
    grasp_axis: np.ndarray
    render_kwargs: Dict


def _check_set_up() -> None:
    if 'init_error' in _STATE:
        raise RuntimeError('a synthetic-data worker could not start (renderer, MANO model or '
                           f"object templates): {_STATE['init_error']}. Rendering needs "
                           'pyrender with PYOPENGL_PLATFORM=egl and the EGL/GL libraries '
                           '(README, "Set up and run").')
    if 'layer' not in _STATE:
        raise RuntimeError('compose_scene needs set_up_synthesis(mano_path, models_root, '
                           'image_size) first in this process')


def _grasp_axis(obj_name: str, obj) -> np.ndarray:
    """The axis held across the palm: the painted object's own, else the longest box side."""
    proc = _STATE['procedural'].get(obj_name)
    return proc.long_axis if proc is not None else obj.longest_axis


def _scene(grasp, placed, obj, obj_name: str, rng: np.random.Generator) -> Scene:
    """The grasp ``placed`` (:func:`_pose_in_camera`) in the camera, with its colours, light
    and background drawn from ``rng``."""
    from .renderer import random_background
    R_g, K, transl = placed
    J0 = grasp.joints[0]
    verts = (grasp.verts - J0) @ R_g.T + J0 + transl
    joints = (grasp.joints - J0) @ R_g.T + J0 + transl
    R_obj = R_g @ grasp.obj_rot
    t_obj = R_g @ (grasp.obj_trans - J0) + J0 + transl
    if obj_name in _STATE['procedural']:  # painted: per-face colours make the pose visible
        v_model, obj_faces, colours = _STATE['painted'][obj_name]
        obj_color = rng.uniform(0.8, 1.15) * rng.uniform(0.9, 1.1, 3)
    else:
        v_model, obj_faces, colours = obj.vertices, obj.faces, None
        obj_color = rng.uniform(0.1, 0.95, 3)
    kwargs = dict(hand_faces=_STATE['layer'].faces.numpy(), obj_faces=obj_faces,
                  background=random_background(rng, _STATE['size']),
                  hand_color=np.array([0.85, 0.62, 0.5]) * rng.uniform(0.55, 1.2, 3),
                  obj_color=obj_color,
                  light_dir=rng.normal(0, 1, 3) + np.array([0, 0, 1.5]),
                  light_intensity=rng.uniform(1.5, 5.0), obj_vertex_colors=colours,
                  ambient=rng.uniform(0.2, 0.6))
    return Scene(grasp, obj, R_g, K, verts, joints, R_obj, t_obj, v_model,
                 np.asarray(_grasp_axis(obj_name, obj), np.float64), kwargs)


def compose_scene(idx: int, seed: int, obj_name: str, K: Optional[np.ndarray] = None,
                  betas: Optional[np.ndarray] = None) -> Scene:
    """Synthesize the grasp, view, lighting and background of sample ``idx`` (deterministic
    in ``(seed, idx)``; needs :func:`set_up_synthesis` first), seen by the camera ``K (3,
    3)`` (default: drawn), with the hand shape ``betas (10,)`` (default: drawn)."""
    rng = np.random.default_rng([seed, idx])
    for grasp, obj in _grasps(obj_name, rng, betas):
        placed = _pose_in_camera(grasp, rng, obj, _STATE['size'], _STATE['prior'], K)
        if placed is not None:
            return _scene(grasp, placed, obj, obj_name, rng)
    raise RuntimeError(f'no grasp found for sample {idx} ({obj_name})')


def _grasps(obj_name: str, rng: np.random.Generator, betas: Optional[np.ndarray],
            tries: int = 10):
    """The grasps of ``obj_name`` that the search finds in ``tries`` attempts, each with
    the object (needs :func:`set_up_synthesis` first)."""
    from .grasp import synthesize_grasp
    _check_set_up()
    layer, lib = _STATE['layer'], _STATE['lib']
    obj = lib[obj_name]
    for _ in range(tries):
        grasp = synthesize_grasp(layer, obj, lib.sdf(obj_name), rng,
                                 long_axis=_grasp_axis(obj_name, obj), betas=betas)
        if grasp is not None:
            yield grasp, obj


def compose_views(idx: int, seed: int, obj_name: str, cameras: Sequence[np.ndarray],
                  betas: Optional[np.ndarray] = None) -> List[Scene]:
    """One grasp of sample ``idx`` seen by every camera ``K (3, 3)`` of ``cameras`` (a
    multi-camera capture such as Dex-YCB's): each view draws its own orientation,
    placement, light and background (deterministic in ``(seed, idx, camera)``)."""
    rng = np.random.default_rng([seed, idx])
    for grasp, obj in _grasps(obj_name, rng, betas):
        scenes = []
        for c, K in enumerate(cameras):
            view_rng = np.random.default_rng([seed, idx, c])
            placed = _pose_in_camera(grasp, view_rng, obj, _STATE['size'], _STATE['prior'], K)
            if placed is None:
                break
            scenes.append(_scene(grasp, placed, obj, obj_name, view_rng))
        else:
            return scenes
    raise RuntimeError(f'no grasp found for sample {idx} ({obj_name}) that every camera sees')


def render_scene(scene: Scene, R_obj: Optional[np.ndarray] = None, hand: bool = True,
                 **overrides) -> Dict[str, np.ndarray]:
    """Render ``scene`` (``rgb (H, W, 3)`` uint8, ``mask``, ``depth``) with the object at its
    own rotation or at ``R_obj (3, 3)`` about its model origin, and without the hand when
    ``hand`` is False; ``overrides`` replace render settings (e.g. ``light_intensity=0,
    ambient=1`` for flat, unshaded colours)."""
    R = scene.R_obj if R_obj is None else R_obj
    kw = dict(scene.render_kwargs, **overrides)
    return _STATE['renderer'].render(scene.hand_verts if hand else None, kw.pop('hand_faces'),
                                     scene.obj_model_verts @ R.T + scene.t_obj,
                                     kw.pop('obj_faces'), scene.K, kw.pop('background'), **kw)


def _make_sample(task: Tuple[int, int, str, str, str]) -> Optional[Dict]:
    """Synthesize, render and write one sample; returns its ground truth summary."""
    idx, seed, obj_name, out_split_dir, sid = task
    scene = compose_scene(idx, seed, obj_name)
    out = render_scene(scene)
    lib = _STATE['lib']
    grasp, joints, verts = scene.grasp, scene.joints, scene.hand_verts
    seq, fid = sid.split('/')
    folder = osp.join(out_split_dir, seq)
    for sub in ('rgb', 'meta', 'mask', 'depth'):
        os.makedirs(osp.join(folder, sub), exist_ok=True)
    cv2.imwrite(osp.join(folder, 'rgb', f'{fid}.png'), out['rgb'][..., ::-1])
    cv2.imwrite(osp.join(folder, 'mask', f'{fid}.png'), out['mask'])
    cv2.imwrite(osp.join(folder, 'depth', f'{fid}.png'), encode_depth(out['depth']))
    split = 'evaluation' if osp.basename(out_split_dir) == 'evaluation' else 'train'
    meta = ho3d_meta(scene, obj_name, sorted(lib.names).index(obj_name), 'v2', split)
    with open(osp.join(folder, 'meta', f'{fid}.pkl'), 'wb') as f:
        pickle.dump(meta, f, protocol=2)
    return dict(sid=sid, joints_gl=(joints @ GL_TO_CV.T).tolist(),
                verts_gl=(verts @ GL_TO_CV.T).tolist(), penetration=grasp.penetration,
                grasp_type=grasp.grasp_type)


def render_in_workers(task_fn, tasks: Sequence, mano_path: str, models_root: str,
                      image_size: Union[int, Tuple[int, int]], workers: int = 2,
                      view_prior: Optional[ViewPrior] = None, progress: bool = True,
                      label: str = 'synthetic', chunksize: int = 4) -> List:
    """``task_fn`` (a module-level function) on every task, in ``workers`` rendering
    processes each set up once (:func:`set_up_synthesis`); results in task order."""
    results: List = []
    t0 = time.time()
    # spawn, not fork: the parent has run OpenMP code (SDF grids, symmetry checks through
    # point-cloud-utils), and GNU OpenMP deadlocks in a forked child that uses it again
    ctx = mp.get_context('spawn')
    with ctx.Pool(max(1, workers), initializer=_init_worker,
                  initargs=(mano_path, models_root, image_size,
                            view_prior or ViewPrior())) as pool:
        for k, res in enumerate(pool.imap(task_fn, tasks, chunksize=chunksize)):
            results.append(res)
            if progress and (k + 1) % 50 == 0:
                rate = (k + 1) / (time.time() - t0)
                print(f'[{label}] {k + 1}/{len(tasks)} samples, {rate:.1f}/s', flush=True)
    return results


def generate_synthetic_dataset(out_dir: str, mano_path: str, num_train: int = 800,
                               num_val: int = 100, num_eval: int = 100, num_test: int = 100,
                               seed: int = 0,
                               image_size: int = 256, workers: int = 2,
                               objects: Optional[Sequence[str]] = None,
                               progress: bool = True,
                               view_prior: Optional[ViewPrior] = None) -> Dict[str, float]:
    """Write the whole set; returns timing and penetration statistics.

    ``view_prior`` (default ``ViewPrior()``) sets how hands are oriented to the camera; it
    is written to ``<out_dir>/generation.json`` with the other settings.
    """
    view_prior = view_prior or ViewPrior()
    from hoverse.hand_models.mano_layer import resolve_mano_path
    resolve_mano_path(mano_path)  # a missing model fails here, not in every worker
    from hoverse.objects.procedural import PROCEDURAL_OBJECTS, write_procedural_objects
    models_root = osp.join(out_dir, 'models')
    names = list(objects or PROCEDURAL_OBJECTS)
    write_procedural_objects(models_root, names)
    counts = dict(train=num_train, val=num_val, evaluation=num_eval, test=num_test)
    tasks, lists = [], {}
    offset = 0
    split_of = []
    for split, folder, code in SPLITS:
        ids = []
        for i in range(counts[split]):
            sid = f'SYN{code}{i // FRAMES_PER_SEQ:03d}/{i % FRAMES_PER_SEQ:04d}'
            ids.append(sid)
            tasks.append((offset + i, seed, names[(offset + i) % len(names)],
                          osp.join(out_dir, folder), sid))
            split_of.append(split)
        lists[split] = ids
        offset += counts[split]
    # build SDF caches once in the parent so workers only read them
    from hoverse.objects import ObjectLibrary
    lib = ObjectLibrary(models_root)
    for n in names:
        lib.sdf(n)
    t0 = time.time()
    results = render_in_workers(_make_sample, tasks, mano_path, models_root, image_size,
                                workers, view_prior, progress, 'synthetic')
    elapsed = time.time() - t0
    for split, ids in lists.items():
        with open(osp.join(out_dir, f'{split}.txt'), 'w') as f:
            f.write('\n'.join(ids) + '\n')
    by_sid = {r['sid']: r for r, sp in zip(results, split_of) if sp == 'evaluation'}
    eval_ids = lists['evaluation']
    with open(osp.join(out_dir, 'evaluation_xyz.json'), 'w') as f:
        json.dump([by_sid[s]['joints_gl'] for s in eval_ids], f)
    with open(osp.join(out_dir, 'evaluation_verts.json'), 'w') as f:
        json.dump([by_sid[s]['verts_gl'] for s in eval_ids], f)
    pens = np.array([r['penetration'] for r in results])
    grasps = [r['grasp_type'] for r in results]
    with open(osp.join(out_dir, 'generation.json'), 'w') as f:
        json.dump(dict(seed=seed, image_size=image_size, objects=names, counts=counts,
                       view_prior=asdict(view_prior),
                       grasp_types={g: grasps.count(g) for g in sorted(set(grasps))}),
                  f, indent=1)
    return dict(num_samples=len(results), seconds=elapsed, samples_per_s=len(results) / elapsed,
                max_penetration_mm=float(pens.max() * 1000) if len(pens) else 0.0,
                mean_penetration_mm=float(pens.mean() * 1000) if len(pens) else 0.0)
