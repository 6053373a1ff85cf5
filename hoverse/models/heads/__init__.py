from .hand_keypoint_fitter import HandKeypointFitter
from .interaction_head import InteractionHead
from .iterative_regressor import IterativeRegressor
from .mano_head import MANOHead
from .object_class_head import ObjectClassificationHead
from .object_pose_head import ObjectPoseHead
from .patch_pnp import PatchPnP
from .segmentation_head import SEG_CLASSES, SegmentationHead

__all__ = ['HandKeypointFitter', 'InteractionHead', 'IterativeRegressor', 'MANOHead',
           'ObjectClassificationHead', 'ObjectPoseHead', 'PatchPnP', 'SEG_CLASSES',
           'SegmentationHead']
