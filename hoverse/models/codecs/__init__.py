from .heatmap import SoftArgmaxHeatmap, encode_gaussian_heatmaps, soft_argmax_2d

__all__ = ['SoftArgmaxHeatmap', 'encode_gaussian_heatmaps', 'soft_argmax_2d']
