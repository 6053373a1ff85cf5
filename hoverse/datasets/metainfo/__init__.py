"""Dataset descriptions (mmpose's ``dataset_info`` convention), read with
:func:`hoverse.utils.dataset_info.parse_dataset_info`."""
import os.path as osp

#: the hand-object keypoint description every hoverse dataset shares by default
HAND_OBJECT_INFO = osp.join(osp.dirname(__file__), 'hand_object.py')
