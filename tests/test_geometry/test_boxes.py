import numpy as np
import pytest

from hoverse.geometry.boxes import box_area, box_center, box_iou, box_side, points_box


def test_box_iou():
    assert box_iou(np.array([0, 0, 10, 10]), np.array([5, 0, 15, 10])) == pytest.approx(1 / 3)
    assert box_iou(np.array([0, 0, 1, 1]), np.array([2, 2, 3, 3])) == 0


def test_area_centre_side_and_points_box():
    b = np.array([2.0, 4.0, 12.0, 8.0])
    assert box_area(b) == 40 and box_area(np.array([5, 5, 4, 9])) == 0
    np.testing.assert_allclose(box_center(b), [7, 6])
    assert box_side(b) == 10
    np.testing.assert_allclose(points_box(np.array([[3, 9], [1, 2], [5, 4]])), [1, 2, 5, 9])
