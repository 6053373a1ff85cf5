"""Small array helpers shared across the package."""
from typing import Any

import numpy as np


def to_numpy(x: Any) -> np.ndarray:
    """A tensor (any device, detached) or array-like as a numpy array."""
    return x.detach().cpu().numpy() if hasattr(x, 'detach') else np.asarray(x)
