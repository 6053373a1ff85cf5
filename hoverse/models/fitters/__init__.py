from .contact_regions import contact_regions
from .hand_object_fitter import FIT_PARAMETERS, HandObjectFitter, build_physical_fit
from .object_keypoint_residual import object_keypoint_residual

__all__ = ['HandObjectFitter', 'FIT_PARAMETERS', 'build_physical_fit', 'contact_regions',
           'object_keypoint_residual']
