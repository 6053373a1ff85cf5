"""Temporal smoothing of per-frame predictions for video."""
import math
from typing import Optional

import numpy as np


class OneEuroFilter:
    """One-euro filter (Casiez et al., CHI 2012) on arrays of any shape.

    A low-pass filter whose cut-off rises with the signal's speed: steady poses are
    smoothed hard (``min_cutoff`` Hz), fast motion is followed with little lag (``beta``).
    ``alpha`` applies a plain exponential moving average instead when given (0 < alpha <= 1,
    weight of the new frame).
    """

    def __init__(self, min_cutoff: float = 1.0, beta: float = 0.05, d_cutoff: float = 1.0,
                 alpha: Optional[float] = None) -> None:
        if alpha is not None and not 0 < alpha <= 1:
            raise ValueError(f'alpha must be in (0, 1], got {alpha}')
        self.min_cutoff, self.beta, self.d_cutoff, self.alpha = min_cutoff, beta, d_cutoff, alpha
        self._x: Optional[np.ndarray] = None
        self._dx: Optional[np.ndarray] = None

    @staticmethod
    def _smoothing(cutoff, dt: float):
        tau = 1.0 / (2 * math.pi * cutoff)
        return 1.0 / (1.0 + tau / dt)

    def __call__(self, x: np.ndarray, dt: float = 1 / 30) -> np.ndarray:
        x = np.asarray(x, np.float64)
        if self._x is None or self._x.shape != x.shape:
            self._x, self._dx = x.copy(), np.zeros_like(x)
            return x
        if self.alpha is not None:
            self._x = self.alpha * x + (1 - self.alpha) * self._x
            return self._x
        dx = (x - self._x) / dt
        a_d = self._smoothing(self.d_cutoff, dt)
        self._dx = a_d * dx + (1 - a_d) * self._dx
        cutoff = self.min_cutoff + self.beta * np.abs(self._dx)
        a = self._smoothing(cutoff, dt)
        self._x = a * x + (1 - a) * self._x
        return self._x
