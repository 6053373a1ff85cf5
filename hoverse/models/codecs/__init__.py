from .coordinate_map import ObjectCoordinateMap, box_frame
from .heatmap import SoftArgmaxHeatmap, encode_gaussian_heatmaps, soft_argmax_2d

__all__ = ['ObjectCoordinateMap', 'box_frame', 'SoftArgmaxHeatmap', 'encode_gaussian_heatmaps',
           'soft_argmax_2d']
