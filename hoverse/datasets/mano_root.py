"""The MANO rest-pose root joint as a function of shape, for translation bookkeeping.

MANO rotates about its root joint ``J0(betas)``: ``X = R (X_rest - J0) + J0 + transl``. When
a loader changes the camera frame (OpenGL -> OpenCV, mirroring, crop rotation) it keeps the
root where it belongs by setting ``transl = root_cam - J0(betas)``.
"""
from typing import Optional

import numpy as np

from hoverse.hand_models.mano_io import load_mano_pickle
from hoverse.hand_models.mano_layer import resolve_mano_path


class MANORoot:
    """``J0(betas) = J_regressor[0] @ (v_template + shapedirs @ betas)``, numpy, metres."""

    def __init__(self, model_path: str) -> None:
        data = load_mano_pickle(resolve_mano_path(model_path))
        reg = data['J_regressor']
        row = np.asarray(reg[0].todense()).ravel() if hasattr(reg, 'todense') else reg[0]
        self._base = row @ np.asarray(data['v_template'], np.float64)  # (3,)
        self._dirs = np.einsum('v,vcb->cb', row, np.asarray(data['shapedirs'], np.float64))

    def __call__(self, betas: Optional[np.ndarray]) -> np.ndarray:
        if betas is None:
            return self._base.copy()
        return self._base + self._dirs @ np.asarray(betas, np.float64)[:self._dirs.shape[1]]
