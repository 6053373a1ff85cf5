from .classification_losses import LabelCELoss, ObjectClassCELoss
from .dense_map_losses import MapBCELoss, MaskedMapL1Loss
from .mesh_losses import EdgeLengthLoss, NormalConsistencyLoss, mesh_edges
from .physics_losses import ContactLoss, SDFPenetrationLoss
from .regression_losses import (GeodesicRotationLoss, HeatmapLoss, MANOParamLoss, PointL1Loss,
                                masked_mean)
from .segmentation_losses import SegmentationCELoss

__all__ = [
    'SegmentationCELoss', 'LabelCELoss', 'ObjectClassCELoss',
    'EdgeLengthLoss', 'NormalConsistencyLoss', 'mesh_edges', 'ContactLoss',
    'SDFPenetrationLoss', 'GeodesicRotationLoss', 'HeatmapLoss', 'MANOParamLoss',
    'PointL1Loss', 'masked_mean', 'MapBCELoss', 'MaskedMapL1Loss'
]
