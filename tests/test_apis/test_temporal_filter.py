import numpy as np
import pytest

from hoverse.apis.temporal_filter import ExponentialMovingAverage, OneEuroFilter


def test_ema_known_values():
    f = ExponentialMovingAverage(0.5)
    assert f(np.array([0.0]))[0] == 0
    assert f(np.array([1.0]))[0] == pytest.approx(0.5)
    assert f(np.array([1.0]))[0] == pytest.approx(0.75)
    with pytest.raises(ValueError, match='alpha'):
        ExponentialMovingAverage(0)


def test_one_euro_smooths_noise_and_follows_motion():
    rng = np.random.default_rng(0)
    f = OneEuroFilter(min_cutoff=1.0, beta=0.0)
    noisy = 1.0 + rng.normal(0, 0.01, (200, 3))
    out = np.array([f(x, 1 / 30) for x in noisy])
    assert out[50:].std() < 0.5 * noisy[50:].std()
    g = OneEuroFilter(min_cutoff=1.0, beta=1.0)
    ramp = np.linspace(0, 10, 60)[:, None]
    lag = abs(np.array([g(x, 1 / 30) for x in ramp])[-1, 0] - 10)
    h = OneEuroFilter(min_cutoff=1.0, beta=0.0)
    slow = abs(np.array([h(x, 1 / 30) for x in ramp])[-1, 0] - 10)
    assert lag < slow  # speed raises the cut-off: less lag on fast motion
