"""The data element that flows from the dataset to the metrics."""
from mmengine.structures import BaseDataElement, InstanceData


class HandObjectDataSample(BaseDataElement):
    """One image's hand-object annotations and predictions.

    Fields (each an :class:`InstanceData` with one row per hand-object pair, N=1 today):

    - ``gt_instances``: ground truth in the crop's camera frame, metres, e.g.
      ``joints_3d (N, 21, 3)`` root-relative, ``root_joint (N, 3)`` camera frame,
      ``verts_3d (N, 778, 3)``, ``keypoints_2d (N, 21, 2)`` crop pixels,
      ``obj_rot (N, 3, 3)``, ``obj_trans (N, 3)`` relative to the hand root,
      ``obj_corners_3d (N, 8, 3)`` root-relative, ``mano_pose (N, 48)``, ``mano_shape (N, 10)``.
    - ``pred_instances``: the same names, predicted; in predict mode the 3D values are in
      the camera frame (``*_cam`` fields) given ``metainfo['root_source']``.

    Metainfo: ``img_path``, ``sample_idx``, ``cam_intrinsics (3, 3)`` of the crop,
    ``orig_cam_intrinsics (3, 3)``, ``bbox (4,)`` xyxy in the original image, ``obj_name``,
    ``is_left`` (mirrored at load time), ``dataset_name``.
    """

    @property
    def gt_instances(self) -> InstanceData:
        return self._gt_instances

    @gt_instances.setter
    def gt_instances(self, value: InstanceData) -> None:
        self.set_field(value, '_gt_instances', dtype=InstanceData)

    @gt_instances.deleter
    def gt_instances(self) -> None:
        del self._gt_instances

    @property
    def pred_instances(self) -> InstanceData:
        return self._pred_instances

    @pred_instances.setter
    def pred_instances(self, value: InstanceData) -> None:
        self.set_field(value, '_pred_instances', dtype=InstanceData)

    @pred_instances.deleter
    def pred_instances(self) -> None:
        del self._pred_instances
