from .affine import TopDownAffine, rotate_sample_about_optical_axis
from .bbox import GetHandObjectBBox, HandObjectCropBox, object_points_cam
from .formatting import PackHandObjectInputs
from .loading import ImageReadError, LoadImage, read_image_rgb
from .photometric import ColorJitter
from .targets import GenerateTargets

__all__ = [
    'TopDownAffine', 'rotate_sample_about_optical_axis', 'GetHandObjectBBox', 'HandObjectCropBox',
    'object_points_cam', 'PackHandObjectInputs', 'ImageReadError', 'LoadImage',
    'read_image_rgb', 'ColorJitter', 'GenerateTargets'
]
