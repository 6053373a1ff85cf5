from .heatmap import encode_gaussian_heatmaps, soft_argmax_2d

__all__ = ['encode_gaussian_heatmaps', 'soft_argmax_2d']
