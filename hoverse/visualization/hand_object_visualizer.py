"""mmengine Visualizer for hand-object samples: 2D joints, skeleton, object box."""
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np
from mmengine.visualization import Visualizer

from hoverse.geometry.camera import crop_points_to_image
from hoverse.hand_models.joint_orders import CANONICAL_SKELETON, OBJECT_BOX_EDGES
from hoverse.registry import VISUALIZERS
from hoverse.utils.arrays import to_numpy

Color = Tuple[int, int, int]


def draw_hand_skeleton(image: np.ndarray, joints_2d: np.ndarray, color: Color,
                       radius: int = 2, thickness: int = 1,
                       skeleton: Optional[Sequence[Tuple[int, int]]] = None) -> np.ndarray:
    """Draw joints ``(J, 2)`` in pixels and the bones of ``skeleton`` ((child, parent)
    pairs; default the canonical 21-joint one) on ``image``."""
    pts = np.round(joints_2d).astype(np.int32)
    for child, parent in (CANONICAL_SKELETON if skeleton is None else skeleton):
        cv2.line(image, tuple(pts[child]), tuple(pts[parent]), color, thickness, cv2.LINE_AA)
    for p in pts:
        cv2.circle(image, tuple(p), radius, color, -1, cv2.LINE_AA)
    return image


def draw_object_box(image: np.ndarray, corners_2d: np.ndarray, color: Color,
                    thickness: int = 1) -> np.ndarray:
    """Draw the 12 edges of a projected box given its 8 corners ``(8, 2)`` in pixels."""
    pts = np.round(corners_2d[:8]).astype(np.int32)
    for a, b in OBJECT_BOX_EDGES:
        cv2.line(image, tuple(pts[a]), tuple(pts[b]), color, thickness, cv2.LINE_AA)
    return image


@VISUALIZERS.register_module()
class HandObjectVisualizer(Visualizer):
    """Draws ground truth (green hand, blue box) and predictions (red hand, yellow box).

    ``add_datasample`` reads ``keypoints_2d (N, 21, 2)`` and ``obj_corners_2d (N, 8, 2)``
    from ``gt_instances`` / ``pred_instances``; they are crop pixels, mapped back through
    ``metainfo['crop_affine']`` when the image passed in is the original one (its shape is
    ``metainfo['ori_shape']``).
    """

    GT_COLORS: Tuple[Color, Color] = ((0, 200, 0), (0, 120, 255))
    PRED_COLORS: Tuple[Color, Color] = ((230, 40, 40), (240, 200, 0))

    def __init__(self, name: str = 'visualizer', image: Optional[np.ndarray] = None,
                 vis_backends: Optional[Sequence[dict]] = None,
                 save_dir: Optional[str] = None) -> None:
        super().__init__(name=name, image=image, vis_backends=vis_backends, save_dir=save_dir)

    def draw_instances(self, image: np.ndarray, instances, colors: Tuple[Color, Color],
                       crop_affine: Optional[np.ndarray] = None) -> np.ndarray:
        """Draw every hand skeleton and object box in ``instances`` onto a copy of ``image``
        (through ``crop_affine``'s inverse when given)."""
        image = image.copy()

        def pts(x):
            x = to_numpy(x)
            return x if crop_affine is None else crop_points_to_image(x, crop_affine)

        if 'keypoints_2d' in instances:
            for kp in pts(instances.keypoints_2d):
                draw_hand_skeleton(image, kp, colors[0],
                                   skeleton=(self.dataset_meta or {}).get('skeleton'))
        if 'obj_corners_2d' in instances:
            for corners in pts(instances.obj_corners_2d):
                draw_object_box(image, corners, colors[1])
        return image

    def add_datasample(self, name: str, image: np.ndarray, data_sample=None,
                       draw_gt: bool = True, draw_pred: bool = True, show: bool = False,
                       wait_time: float = 0, out_file: Optional[str] = None,
                       step: int = 0) -> np.ndarray:
        """Draw ``data_sample`` on ``image`` (RGB uint8 ``(H, W, 3)``), store and return it."""
        canvas = np.ascontiguousarray(image)
        if data_sample is not None:
            meta = data_sample.metainfo
            M = meta.get('crop_affine')
            if M is None or tuple(meta.get('ori_shape', ())) != tuple(canvas.shape[:2]):
                M = None  # the image is the crop itself
            if draw_gt and 'gt_instances' in data_sample:
                canvas = self.draw_instances(canvas, data_sample.gt_instances, self.GT_COLORS,
                                             M)
            if draw_pred and 'pred_instances' in data_sample:
                canvas = self.draw_instances(canvas, data_sample.pred_instances,
                                             self.PRED_COLORS, M)
        self.set_image(canvas)
        if show:
            self.show(canvas, win_name=name, wait_time=wait_time)
        if out_file is not None:
            import mmcv
            mmcv.imwrite(canvas[..., ::-1], out_file)
        else:
            self.add_image(name, canvas, step)
        return canvas

    def draw_reconstruction(self, image: np.ndarray, data_sample, hand_faces: np.ndarray,
                            object_mesh: Optional[Tuple[np.ndarray, np.ndarray]] = None,
                            side: bool = True, renderer=None) -> dict:
        """Pictures of a prediction on the original ``image`` (RGB uint8):

        ``overlay`` (hand and object meshes, camera frame, rendered semi-transparently
        through ``metainfo['orig_cam_K']``), ``side`` (turned 90 degrees, on white) and
        ``joints`` (2D skeleton and object box, as :meth:`add_datasample` draws them).
        """
        from .renderer import render_overlay, side_view
        p = data_sample.pred_instances
        hv = to_numpy(p.verts_cam)[0].astype(np.float64)
        ov, of = object_mesh if object_mesh is not None else (None, np.zeros((0, 3), int))
        K = np.asarray(data_sample.metainfo['orig_cam_K'], np.float64)
        out = dict(overlay=render_overlay(image, hv, hand_faces, ov, of, K, renderer=renderer))
        if side:
            sh, so = side_view(hv, ov if ov is not None else hv[:1])
            out['side'] = render_overlay(np.full_like(image, 255), sh, hand_faces,
                                         so if ov is not None else None, of, K, alpha=1.0,
                                         renderer=renderer)
        out['joints'] = self.add_datasample('prediction', image, data_sample, draw_gt=False)
        return out
