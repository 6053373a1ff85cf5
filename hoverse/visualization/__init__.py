from .hand_object_visualizer import (HandObjectVisualizer, draw_hand_skeleton,
                                     draw_object_box)

__all__ = ['HandObjectVisualizer', 'draw_hand_skeleton', 'draw_object_box']
