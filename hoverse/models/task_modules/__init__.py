from .symmetric_pose import NearestSymmetricPose

__all__ = ['NearestSymmetricPose']
