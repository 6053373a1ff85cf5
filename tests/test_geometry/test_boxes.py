import numpy as np
import pytest

from hoverse.geometry.boxes import (HandObjectBoxPrior, box_area, box_center, box_iou, box_side,
                                    hand_object_box, points_box, required_box)


def test_box_iou():
    assert box_iou(np.array([0, 0, 10, 10]), np.array([5, 0, 15, 10])) == pytest.approx(1 / 3)
    assert box_iou(np.array([0, 0, 1, 1]), np.array([2, 2, 3, 3])) == 0


def test_area_centre_side_and_points_box():
    b = np.array([2.0, 4.0, 12.0, 8.0])
    assert box_area(b) == 40 and box_area(np.array([5, 5, 4, 9])) == 0
    np.testing.assert_allclose(box_center(b), [7, 6])
    assert box_side(b) == 10
    np.testing.assert_allclose(points_box(np.array([[3, 9], [1, 2], [5, 4]])), [1, 2, 5, 9])


def test_square_box_of_the_prior():
    box = hand_object_box([100, 100, 140, 120], (480, 640),
                          HandObjectBoxPrior(scale=2.0, offset=(0.0, 0.25)))
    # side 2 x 40, centre (120, 110 + 10)
    np.testing.assert_allclose(box, [80, 80, 160, 160])


def test_kept_inside_the_image_by_shifting_and_clipped_when_too_large():
    box = hand_object_box([0, 0, 40, 40], (480, 640), HandObjectBoxPrior(scale=2.0))
    np.testing.assert_allclose(box, [0, 0, 80, 80])  # shifted, same size
    big = hand_object_box([10, 10, 90, 90], (100, 300), HandObjectBoxPrior(scale=2.0))
    assert big[1] == 0 and big[3] == 100 and big[2] - big[0] == pytest.approx(160)


def test_required_box_inverts_the_prior():
    hand = np.array([100.0, 100, 140, 120])
    prior = HandObjectBoxPrior(scale=1.5, offset=(0.0, 0.0))
    ho = hand_object_box(hand, (480, 640), prior)
    side, offset = required_box(hand, ho)
    assert side == pytest.approx(1.5)
    np.testing.assert_allclose(offset, [0, 0], atol=1e-9)
