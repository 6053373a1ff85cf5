from .hand_pose_metric import HandPoseMetric
from .interaction_metric import InteractionMetric
from .object_class_metric import ObjectClassMetric
from .object_pose_metric import ObjectPoseMetric
from .result_writers import (read_dexycb_results, read_ho3d_submission, write_dexycb_results,
                             write_ho3d_submission)

__all__ = [
    'HandPoseMetric', 'InteractionMetric', 'ObjectClassMetric', 'ObjectPoseMetric',
    'read_dexycb_results', 'read_ho3d_submission', 'write_dexycb_results', 'write_ho3d_submission'
]
