from .hand_object_visualizer import (HandObjectVisualizer, crop_points_to_image,
                                     draw_hand_skeleton, draw_object_box)
from .renderer import HandObjectRenderer, render_overlay, side_view

__all__ = [
    'HandObjectVisualizer', 'crop_points_to_image', 'draw_hand_skeleton', 'draw_object_box',
    'HandObjectRenderer', 'render_overlay', 'side_view'
]
