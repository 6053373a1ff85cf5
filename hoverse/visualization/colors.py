"""The colours the overlays, side views and exported scenes draw the hand and the object in
(RGB in [0, 1]): one place, so that a picture and a 3D file look alike."""
import numpy as np

HAND_COLOR = np.array([0.9, 0.65, 0.55])
OBJECT_COLOR = np.array([0.3, 0.55, 0.95])
