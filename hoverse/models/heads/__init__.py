from .interaction_head import InteractionHead
from .iterative_regressor import IterativeRegressor
from .mano_head import MANOHead
from .object_pose_head import ObjectPoseHead

__all__ = ['InteractionHead', 'IterativeRegressor', 'MANOHead', 'ObjectPoseHead']
