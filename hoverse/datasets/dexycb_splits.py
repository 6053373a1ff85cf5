"""Dex-YCB's official setups (s0-s3) and splits, as index tables over the toolkit's lists.

A split selects subjects, camera serials and sequence indices; the sequence index runs over
the sorted sequence folders of each subject (100 per subject).
"""
from typing import Dict, List, Tuple

SUBJECTS: Tuple[str, ...] = (
    '20200709-subject-01', '20200813-subject-02', '20200820-subject-03', '20200903-subject-04',
    '20200908-subject-05', '20200918-subject-06', '20200928-subject-07', '20201002-subject-08',
    '20201015-subject-09', '20201022-subject-10')

SERIALS: Tuple[str, ...] = ('836212060125', '839512060362', '840412060917', '841412060263',
                            '932122060857', '932122060861', '932122061900', '932122062010')

YCB_CLASSES: Dict[int, str] = {
    1: '002_master_chef_can', 2: '003_cracker_box', 3: '004_sugar_box',
    4: '005_tomato_soup_can', 5: '006_mustard_bottle', 6: '007_tuna_fish_can',
    7: '008_pudding_box', 8: '009_gelatin_box', 9: '010_potted_meat_can', 10: '011_banana',
    11: '019_pitcher_base', 12: '021_bleach_cleanser', 13: '024_bowl', 14: '025_mug',
    15: '035_power_drill', 16: '036_wood_block', 17: '037_scissors', 18: '040_large_marker',
    19: '051_large_clamp', 20: '052_extra_large_clamp', 21: '061_foam_brick'}

_ALL_SUBJ = list(range(10))
_ALL_CAM = list(range(8))
_ALL_SEQ = list(range(100))


def split_indices(setup: str, split: str) -> Tuple[List[int], List[int], List[int]]:
    """(subject indices, serial indices, sequence indices) of an official split."""
    table = {
        # seen subjects, camera views and grasped objects
        ('s0', 'train'): (_ALL_SUBJ, _ALL_CAM, [i for i in _ALL_SEQ if i % 5 != 4]),
        ('s0', 'val'): ([0, 1], _ALL_CAM, [i for i in _ALL_SEQ if i % 5 == 4]),
        ('s0', 'test'): ([2, 3, 4, 5, 6, 7, 8, 9], _ALL_CAM, [i for i in _ALL_SEQ if i % 5 == 4]),
        # unseen subjects
        ('s1', 'train'): ([0, 1, 2, 3, 4, 5, 9], _ALL_CAM, _ALL_SEQ),
        ('s1', 'val'): ([6], _ALL_CAM, _ALL_SEQ),
        ('s1', 'test'): ([7, 8], _ALL_CAM, _ALL_SEQ),
        # unseen camera views
        ('s2', 'train'): (_ALL_SUBJ, [0, 1, 2, 3, 4, 5], _ALL_SEQ),
        ('s2', 'val'): (_ALL_SUBJ, [6], _ALL_SEQ),
        ('s2', 'test'): (_ALL_SUBJ, [7], _ALL_SEQ),
        # unseen grasped objects
        ('s3', 'train'): (_ALL_SUBJ, _ALL_CAM,
                          [i for i in _ALL_SEQ if i // 5 not in (3, 7, 11, 15, 19)]),
        ('s3', 'val'): (_ALL_SUBJ, _ALL_CAM, [i for i in _ALL_SEQ if i // 5 in (3, 19)]),
        ('s3', 'test'): (_ALL_SUBJ, _ALL_CAM, [i for i in _ALL_SEQ if i // 5 in (7, 11, 15)]),
    }
    if (setup, split) not in table:
        raise ValueError(f"Dex-YCB setup/split must be s0-s3 and train/val/test, got "
                         f"{setup!r}/{split!r}")
    return table[(setup, split)]
