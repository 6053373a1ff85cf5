"""Offscreen rendering of a hand and an object over a background (pyrender, EGL)."""
import os
from typing import Dict, Tuple

import numpy as np

#: OpenCV -> OpenGL camera frame (pyrender looks down -z with y up)
CV_TO_GL = np.diag([1.0, -1.0, -1.0])


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
               light_intensity: float = 3.0) -> Dict[str, np.ndarray]:
        """All vertices in the OpenCV camera frame (metres); ``background (H, W, 3)`` uint8."""
        import trimesh
        pr = self.pyrender
        scene = pr.Scene(bg_color=[0.0, 0.0, 0.0, 0.0], ambient_light=[0.35, 0.35, 0.35])
        nodes = {}
        for key, v, f, col in (('hand', hand_verts, hand_faces, hand_color),
                               ('obj', obj_verts, obj_faces, obj_color)):
            mesh = trimesh.Trimesh(v @ CV_TO_GL.T, f, process=False)
            mat = pr.MetallicRoughnessMaterial(baseColorFactor=[*col, 1.0], metallicFactor=0.0,
                                               roughnessFactor=0.7)
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
            seg_node_map={nodes['hand']: (1, 1, 1), nodes['obj']: (2, 2, 2)})
        alpha = color[..., 3:4].astype(np.float32) / 255.0
        rgb = color[..., :3] * alpha + background.astype(np.float32) * (1 - alpha)
        return dict(rgb=rgb.round().astype(np.uint8), depth=depth.astype(np.float32),
                    mask=seg[..., 0].astype(np.uint8))

    def close(self) -> None:
        self.renderer.delete()


def random_background(rng: np.random.Generator, size: Tuple[int, int]) -> np.ndarray:
    """A smooth random colour field plus noise, ``(H, W, 3)`` uint8."""
    import cv2
    w, h = size
    coarse = rng.uniform(0, 255, size=(rng.integers(2, 6), rng.integers(2, 6), 3))
    img = cv2.resize(coarse.astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    img += rng.normal(0, rng.uniform(2, 15), size=img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)
