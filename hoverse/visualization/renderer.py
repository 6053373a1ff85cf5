"""Offscreen rendering of a hand and an object (pyrender, EGL; imported on first use)."""
import os
from typing import Dict, Optional, Tuple

import numpy as np

from hoverse.geometry.camera import CV_TO_GL

from .colors import HAND_COLOR, OBJECT_COLOR


class HandObjectRenderer:
    """Renders RGB, depth (metres) and a mask (0 background, 1 hand, 2 object).

    pyrender is imported here, not at package import; ``PYOPENGL_PLATFORM`` defaults to
    ``egl`` for headless use.
    """

    def __init__(self, width: int = 256, height: int = 256) -> None:
        os.environ.setdefault('PYOPENGL_PLATFORM', 'egl')
        import pyrender
        self.pyrender = pyrender
        self.size = (width, height)
        self.renderer = pyrender.OffscreenRenderer(width, height)

    def render(self, hand_verts: np.ndarray, hand_faces: np.ndarray, obj_verts: np.ndarray,
               obj_faces: np.ndarray, K: np.ndarray, background: np.ndarray,
               hand_color: np.ndarray, obj_color: np.ndarray, light_dir: np.ndarray,
               light_intensity: float = 3.0, obj_vertex_colors: Optional[np.ndarray] = None,
               ambient: float = 0.35) -> Dict[str, np.ndarray]:
        """All vertices in the OpenCV camera frame (metres); ``background (H, W, 3)`` uint8.
        ``obj_verts=None`` renders the hand alone. ``obj_vertex_colors (V, 3)`` in [0, 1]
        paint the object (multiplied by ``obj_color``); ``ambient`` is the ambient light."""
        import trimesh
        pr = self.pyrender
        scene = pr.Scene(bg_color=[0.0, 0.0, 0.0, 0.0], ambient_light=[ambient] * 3)
        nodes = {}
        for key, v, f, col, vc in (('hand', hand_verts, hand_faces, hand_color, None),
                                   ('obj', obj_verts, obj_faces, obj_color, obj_vertex_colors)):
            if v is None or len(f) == 0:  # e.g. no object template: the hand alone
                continue
            if vc is None:
                mesh = trimesh.Trimesh(v @ CV_TO_GL.T, f, process=False)
                mat = pr.MetallicRoughnessMaterial(baseColorFactor=[*col, 1.0],
                                                   metallicFactor=0.0, roughnessFactor=0.7)
            else:  # pyrender reads vertex colours only when it makes the material itself
                rgb = np.clip(np.asarray(vc) * col, 0, 1) * 255
                mesh = trimesh.Trimesh(v @ CV_TO_GL.T, f, process=False,
                                       vertex_colors=rgb.astype(np.uint8))
                mat = None
            nodes[key] = scene.add(pr.Mesh.from_trimesh(mesh, material=mat, smooth=True))
        cam = pr.IntrinsicsCamera(K[0, 0], K[1, 1], K[0, 2], K[1, 2], znear=0.01, zfar=10.0)
        scene.add(cam)
        d = light_dir / np.linalg.norm(light_dir)
        z = -d @ CV_TO_GL.T  # light travels along d: its -z axis points along d (GL)
        x = np.cross([0.0, 1.0, 0.0], z)
        x = x / (np.linalg.norm(x) + 1e-9) if np.linalg.norm(x) > 1e-6 else np.array([1.0, 0, 0])
        pose = np.eye(4)
        pose[:3, :3] = np.stack([x, np.cross(z, x), z], 1)
        scene.add(pr.DirectionalLight(color=np.ones(3), intensity=light_intensity), pose=pose)
        flags = pr.RenderFlags.RGBA
        color, depth = self.renderer.render(scene, flags=flags)
        seg, _ = self.renderer.render(
            scene, flags=pr.RenderFlags.SEG,
            seg_node_map={n: (i, i, i)
                          for i, n in ((1, nodes.get('hand')), (2, nodes.get('obj')))
                          if n is not None})
        alpha = color[..., 3:4].astype(np.float32) / 255.0
        rgb = color[..., :3] * alpha + background.astype(np.float32) * (1 - alpha)
        return dict(rgb=rgb.round().astype(np.uint8), depth=depth.astype(np.float32),
                    mask=seg[..., 0].astype(np.uint8))

    def close(self) -> None:
        self.renderer.delete()


def render_overlay(image: np.ndarray, hand_verts: np.ndarray, hand_faces: np.ndarray,
                   obj_verts: np.ndarray, obj_faces: np.ndarray, K: np.ndarray,
                   alpha: float = 0.65, renderer: 'HandObjectRenderer' = None) -> np.ndarray:
    """The meshes (camera frame, metres) lit and drawn semi-transparently over ``image``
    (RGB uint8 ``(H, W, 3)``) through the camera ``K``; returns a new image."""
    h, w = image.shape[:2]
    r = renderer or HandObjectRenderer(w, h)
    try:
        out = r.render(hand_verts, hand_faces, obj_verts, obj_faces, np.asarray(K, np.float64),
                       image, hand_color=HAND_COLOR, obj_color=OBJECT_COLOR,
                       light_dir=np.array([0.3, 0.6, 1.0]))
    finally:
        if renderer is None:
            r.close()
    m = (out['mask'] > 0)[..., None]
    blend = alpha * out['rgb'].astype(np.float32) + (1 - alpha) * image.astype(np.float32)
    return np.where(m, blend, image).round().astype(np.uint8)


def side_view(hand_verts: np.ndarray, obj_verts: np.ndarray, angle_deg: float = 90.0
              ) -> Tuple[np.ndarray, np.ndarray]:
    """Both meshes turned by ``angle_deg`` about the vertical axis through their common
    centre, for a second view through the same camera."""
    c = np.concatenate([hand_verts, obj_verts]).mean(0)
    a = np.deg2rad(angle_deg)
    R = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
    return (hand_verts - c) @ R.T + c, (obj_verts - c) @ R.T + c
