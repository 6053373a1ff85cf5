import colorsys

import numpy as np

from hoverse.objects.procedural import hue_ramp, make_procedural_object


def test_hue_ramp_matches_hsv():
    angles = np.linspace(-np.pi, np.pi, 17)
    expected = [colorsys.hsv_to_rgb((a / (2 * np.pi)) % 1.0, 0.75, 0.9) for a in angles]
    np.testing.assert_allclose(hue_ramp(angles), expected, atol=1e-12)


def test_bottle_label_shows_its_spin_from_every_side():
    """Label points at 8 directions round the axis get 8 distinct colours, and a spin of
    20 degrees changes the colour at every one of them."""
    paint = make_procedural_object('bottle').paint
    ang = np.linspace(0.5, 0.5 + 2 * np.pi, 8, endpoint=False)

    def label(a):
        c = np.stack([0.03 * np.cos(a), 0.03 * np.sin(a), np.full_like(a, -0.01)], 1)
        return paint(c, c / 0.03)

    colours = label(ang)
    assert len({tuple(np.round(c, 3)) for c in colours}) == 8
    moved = label(ang + np.deg2rad(20))
    assert (np.abs(moved - colours).max(1) > 0.1).all()
