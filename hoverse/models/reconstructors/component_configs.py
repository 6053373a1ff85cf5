"""The component configs of a reconstructor, completed from the dataset description: the
keypoint counts and graphs of D-BFAM and the heads, and the segmentation classes; and the
check that every codec works at the model's crop size."""
from typing import Optional, Tuple

from hoverse.hand_models.joint_orders import NUM_JOINTS


def fill_from_dataset_info(meta: dict, dbfam: Optional[dict], mano_head: dict,
                           object_head: dict, seg_head: Optional[dict]
                           ) -> Tuple[Optional[dict], dict, dict, Optional[dict]]:
    """The configs with the description's values filled in where they do not set their
    own: D-BFAM's ``num_joints``, ``num_object_kpts``, ``hand_skeleton``,
    ``object_skeleton``; the hand head's ``num_joints``; the object head's ``num_kpts``,
    ``num_hand_kpts`` and ``mask_object_label`` (the index of ``'object'`` in
    ``seg_classes``); the segmentation head's ``num_classes``."""
    nj, no = meta['num_joints'], meta['num_object_kpts']
    if nj != NUM_JOINTS:
        raise ValueError(f"dataset_info {meta.get('dataset_name')!r} describes {nj} hand "
                         f'joints; the MANO hand model gives {NUM_JOINTS}')
    if dbfam:
        dbfam = dict(dict(num_joints=nj, num_object_kpts=no, hand_skeleton=meta['skeleton'],
                          object_skeleton=meta['object_skeleton']), **dbfam)
    mano_head = dict(dict(num_joints=nj), **mano_head)
    object_head = dict(dict(num_kpts=no, num_hand_kpts=nj), **object_head)
    classes = meta.get('seg_classes')
    if classes:
        if 'object' in classes:
            object_head = dict(dict(mask_object_label=list(classes).index('object')),
                               **object_head)
        if seg_head:
            seg_head = dict(dict(num_classes=len(classes)), **seg_head)
    return dbfam, mano_head, object_head, seg_head


def check_crop_sizes(codec, coord_codec, input_size: int) -> None:
    """The keypoint ``codec`` and the object head's ``coord_codec`` (or None), built, must
    work at the model's ``input_size`` (pixels); a ValueError names the config keys."""
    if codec.input_size != (input_size, input_size):
        raise ValueError(f'model.codec.input_size {codec.input_size[0]} differs from '
                         f'model.input_size {input_size}: set both to the crop size')
    if coord_codec is not None and coord_codec.input_size != float(input_size):
        raise ValueError(f'model.object_head.coord_map.input_size '
                         f'{coord_codec.input_size:g} differs from model.input_size '
                         f'{input_size}: set both to the crop size')
