"""Dataset descriptions from files: joint names and order, skeleton, flip pairs, object
keypoints and objects (mmpose's ``metainfo=dict(from_file=...)`` convention)."""
import os.path as osp
from typing import Any, Dict, Optional

#: keys every parsed description has
REQUIRED_KEYS = ('joint_names', 'skeleton', 'flip_pairs', 'object_keypoint_names',
                 'object_skeleton')


def _check_edges(edges, count: int, what: str, source: str) -> list:
    out = []
    for e in edges:
        if len(e) != 2 or not all(isinstance(i, int) and 0 <= i < count for i in e):
            raise ValueError(f'{source}: {what} entry {list(e)} must be two indices in '
                             f'[0, {count})')
        out.append((int(e[0]), int(e[1])))
    return out


def parse_dataset_info(metainfo: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """``metainfo`` with ``from_file`` (a python file defining ``dataset_info = dict(...)``)
    read and merged under the other keys, checked, and the counts added: ``num_joints``,
    ``num_object_kpts``. Without ``from_file`` it is returned unchanged.

    Raises:
        FileNotFoundError: ``from_file`` does not exist.
        ValueError: a key is missing, names repeat, or an edge / flip pair indexes past
            the keypoints (the file and the entry are named).
    """
    meta = dict(metainfo or {})
    path = meta.pop('from_file', None)
    if path is None:
        return meta
    from mmengine.config import Config
    # a path inside the package (``hoverse/...``) also resolves outside the checkout
    packaged = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), path)
    if not osp.isfile(path) and not osp.isabs(path) and osp.isfile(packaged):
        path = packaged
    if not osp.isfile(path):
        raise FileNotFoundError(f'dataset description {path!r} (metainfo.from_file) does not '
                                'exist')
    info = Config.fromfile(path).get('dataset_info')
    if info is None:
        raise ValueError(f'{path} must define dataset_info = dict(...)')
    info = dict(info.to_dict() if hasattr(info, 'to_dict') else info)
    missing = [k for k in REQUIRED_KEYS if k not in info]
    if missing:
        raise ValueError(f'{path}: dataset_info lacks {missing}')
    for key in ('joint_names', 'object_keypoint_names'):
        names = list(info[key])
        if len(set(names)) != len(names):
            raise ValueError(f'{path}: {key} repeats a name: {names}')
    nj, no = len(info['joint_names']), len(info['object_keypoint_names'])
    info['skeleton'] = _check_edges(info['skeleton'], nj, 'skeleton', path)
    info['flip_pairs'] = _check_edges(info['flip_pairs'], nj, 'flip_pairs', path)
    info['object_skeleton'] = _check_edges(info['object_skeleton'], no, 'object_skeleton',
                                           path)
    info.update(num_joints=nj, num_object_kpts=no)
    info.update(meta)  # the dataset's own keys (dataset_name, ...) win
    return info
