from .hand_object_visualizer import HandObjectVisualizer, draw_hand_skeleton, draw_object_box
from .renderer import HandObjectRenderer, render_overlay, side_view

__all__ = [
    'HandObjectVisualizer', 'draw_hand_skeleton', 'draw_object_box',
    'HandObjectRenderer', 'render_overlay', 'side_view'
]
