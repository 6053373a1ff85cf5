from .base_head import BaseHead
from .hand_keypoint_fitter import HandKeypointFitter
from .interaction_head import InteractionHead
from .iterative_regressor import IterativeRegressor
from .mano_head import MANOHead
from .object_class_head import ObjectClassificationHead
from .object_pose_head import ObjectPoseHead
from .patch_pnp import PatchPnP
from .rotation_readouts import (ROT_READOUTS, PatchBlendReadout, PatchFlipReadout, PatchReadout,
                                PatchSpinReadout, PnPFlipReadout, PnPReadout, RegressedReadout,
                                RotationReadout)
from .segmentation_head import SegmentationHead

__all__ = ['BaseHead', 'HandKeypointFitter', 'InteractionHead', 'IterativeRegressor',
           'MANOHead', 'ObjectClassificationHead', 'ObjectPoseHead', 'PatchPnP',
           'SegmentationHead', 'ROT_READOUTS', 'RotationReadout', 'RegressedReadout',
           'PnPReadout', 'PnPFlipReadout', 'PatchReadout', 'PatchFlipReadout',
           'PatchSpinReadout', 'PatchBlendReadout']
