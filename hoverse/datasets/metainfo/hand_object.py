# Keypoints of a hand-object sample: the hand's 21 joints in hoverse's canonical order
# (MANO's 16 kinematic joints, then the 5 fingertips) and the object's 9 keypoints (its
# model-frame bounding-box corners, then the centre). Datasets read it as their
# `metainfo=dict(from_file=...)`; a dataset with another order maps to this one when loading.
dataset_info = dict(
    dataset_name='hand_object',
    joint_names=[
        'wrist', 'index1', 'index2', 'index3', 'middle1', 'middle2', 'middle3', 'little1',
        'little2', 'little3', 'ring1', 'ring2', 'ring3', 'thumb1', 'thumb2', 'thumb3',
        'thumb_tip', 'index_tip', 'middle_tip', 'ring_tip', 'little_tip'
    ],
    # (child, parent) edges: MANO's kinematic tree plus the tips
    skeleton=[
        [1, 0], [2, 1], [3, 2], [4, 0], [5, 4], [6, 5], [7, 0], [8, 7], [9, 8], [10, 0],
        [11, 10], [12, 11], [13, 0], [14, 13], [15, 14], [16, 15], [17, 3], [18, 6], [19, 12],
        [20, 9]
    ],
    # one (right) hand per sample; left hands are mirrored when loaded: no pairs to swap
    flip_pairs=[],
    object_keypoint_names=[
        'corner0', 'corner1', 'corner2', 'corner3', 'corner4', 'corner5', 'corner6', 'corner7',
        'center'
    ],
    # corner i has bits (x, y, z) = (i >> 2 & 1, i >> 1 & 1, i & 1) of the box's (min, max)
    object_skeleton=[
        [0, 1], [0, 2], [0, 4], [1, 3], [1, 5], [2, 3], [2, 6], [3, 7], [4, 5], [4, 6], [5, 7],
        [6, 7], [0, 8], [1, 8], [2, 8], [3, 8], [4, 8], [5, 8], [6, 8], [7, 8]
    ],
    # the objects the dataset holds (None: whatever its object models folder has)
    objects=None,
    # the labels of the segmentation masks (mask/*.png), in order
    seg_classes=['background', 'hand', 'object'],
)
