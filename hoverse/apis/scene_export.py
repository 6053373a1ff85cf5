"""One 3D file per reconstruction: the hand and the object, coloured as in the overlays,
with the photo's camera, for a viewer to turn around (``--export`` in the demos, the web
demo's 3D view).

Frame: OpenGL's camera frame (x right, y up, z towards the viewer), metres: the
prediction JSON's OpenCV camera-frame points with y and z negated. glTF is y-up and its
cameras look down -z, so the GLB's camera sits at the origin with the identity pose and a
viewer that opens on it sees the photo's view. OBJ and PLY hold the same vertices (PLY:
both meshes in one, told apart by colour).
"""
import os
import os.path as osp
from typing import Optional, Sequence, Tuple

import numpy as np

from hoverse.geometry.camera import CV_TO_GL

SCENE_FORMATS = ('glb', 'obj', 'ply')
MeshArrays = Tuple[np.ndarray, np.ndarray]


def build_scene(hand: MeshArrays, obj: Optional[MeshArrays] = None,
                K: Optional[np.ndarray] = None, image_size: Optional[Sequence[int]] = None):
    """A ``trimesh.Scene`` of ``hand`` and ``obj`` (each ``(V, 3)`` OpenCV camera-frame
    vertices in metres and ``(F, 3)`` faces), named ``hand`` and ``object``, and, given
    the intrinsics ``K (3, 3)`` and ``image_size (W, H)``, the photo's camera."""
    import trimesh

    from hoverse.visualization.colors import HAND_COLOR, OBJECT_COLOR
    scene = trimesh.Scene()
    for name, mesh, color in (('hand', hand, HAND_COLOR), ('object', obj, OBJECT_COLOR)):
        if mesh is None:
            continue
        verts, faces = np.asarray(mesh[0], np.float64), np.asarray(mesh[1], np.int64)
        rgba = np.append(np.round(color * 255), 255).astype(np.uint8)
        scene.add_geometry(trimesh.Trimesh(verts @ CV_TO_GL.T, faces, process=False,
                                           vertex_colors=np.tile(rgba, (len(verts), 1))),
                           node_name=name, geom_name=name)
    if K is not None and image_size is not None:
        w, h = int(image_size[0]), int(image_size[1])
        scene.camera = trimesh.scene.Camera(resolution=(w, h),
                                            focal=(float(K[0, 0]), float(K[1, 1])),
                                            z_near=0.01, name='photo')
        scene.camera_transform = np.eye(4)
    scene.metadata.update(units='metres', frame='OpenGL camera frame (x right, y up, z '
                          'towards the viewer): the JSON points with y and z negated')
    return scene


def export_scene(scene, path: str, file_format: Optional[str] = None) -> str:
    """Write ``scene`` as ``file_format`` (default: ``path``'s extension, one of
    :data:`SCENE_FORMATS`); returns the path."""
    fmt = (file_format or osp.splitext(path)[1].lstrip('.')).lower()
    if fmt not in SCENE_FORMATS:
        raise ValueError(f'scene format must be one of {SCENE_FORMATS}, got {fmt!r} '
                         f'({path})')
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    if fmt == 'ply':  # one mesh: PLY holds no scene
        import trimesh
        mesh = trimesh.util.concatenate(list(scene.geometry.values()))
        mesh.export(path, file_type='ply')
    else:
        scene.export(path, file_type=fmt)
    return path


def sample_scene(model, sample, image_size: Sequence[int]):
    """The scene of a reconstruction (``inference_model``'s sample) with the photo's
    camera; ``image_size = (W, H)``."""
    from hoverse.apis.results import hand_faces, object_mesh
    from hoverse.utils.arrays import to_numpy
    verts = to_numpy(sample.pred_instances.verts_cam)[0]
    K = np.asarray(sample.metainfo['orig_cam_K'], np.float64)
    return build_scene((verts, hand_faces(model, sample)), object_mesh(model, sample), K,
                       image_size)
