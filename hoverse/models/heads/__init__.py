from .interaction_head import InteractionHead
from .iterative_regressor import IterativeRegressor
from .mano_head import MANOHead
from .object_class_head import ObjectClassificationHead
from .object_pose_head import ObjectPoseHead
from .segmentation_head import SEG_CLASSES, SegmentationHead

__all__ = ['InteractionHead', 'IterativeRegressor', 'MANOHead', 'ObjectClassificationHead',
           'ObjectPoseHead', 'SEG_CLASSES', 'SegmentationHead']
