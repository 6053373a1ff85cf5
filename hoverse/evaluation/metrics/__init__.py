from .hand_object_metrics import HandPoseMetric, ObjectPoseMetric

__all__ = ['HandPoseMetric', 'ObjectPoseMetric']
