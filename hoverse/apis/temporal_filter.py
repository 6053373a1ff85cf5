"""Temporal smoothing of per-frame predictions for video."""
import math
from typing import Optional

import numpy as np


class OneEuroFilter:
    """One-euro filter (Casiez et al., CHI 2012) on arrays of any shape.

    A low-pass filter whose cut-off rises with the signal's speed: steady poses are
    smoothed hard (``min_cutoff`` Hz), fast motion is followed with little lag (``beta``).
    """

    def __init__(self, min_cutoff: float = 1.0, beta: float = 0.05,
                 d_cutoff: float = 1.0) -> None:
        self.min_cutoff, self.beta, self.d_cutoff = min_cutoff, beta, d_cutoff
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
        dx = (x - self._x) / dt
        a_d = self._smoothing(self.d_cutoff, dt)
        self._dx = a_d * dx + (1 - a_d) * self._dx
        cutoff = self.min_cutoff + self.beta * np.abs(self._dx)
        a = self._smoothing(cutoff, dt)
        self._x = a * x + (1 - a) * self._x
        return self._x


class ExponentialMovingAverage:
    """Exponential moving average of arrays of any shape: ``alpha`` (0 < alpha <= 1) is the
    new frame's weight. ``__call__(x, dt)`` takes ``dt`` only to share the one-euro
    filter's signature."""

    def __init__(self, alpha: float = 0.5) -> None:
        if not 0 < alpha <= 1:
            raise ValueError(f'alpha must be in (0, 1], got {alpha}')
        self.alpha = alpha
        self._x: Optional[np.ndarray] = None

    def __call__(self, x: np.ndarray, dt: float = 1 / 30) -> np.ndarray:
        x = np.asarray(x, np.float64)
        if self._x is None or self._x.shape != x.shape:
            self._x = x.copy()
        else:
            self._x = self.alpha * x + (1 - self.alpha) * self._x
        return self._x
