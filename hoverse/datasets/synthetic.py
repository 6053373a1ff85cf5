"""The synthetic hand-object set: HO3D v2 layout, full ground truth, masks and depth."""
import os.path as osp
from typing import Any, Dict, List, Optional

from hoverse.registry import DATASETS

from .ho3d import HO3Dv2Dataset


@DATASETS.register_module()
class SyntheticHODataset(HO3Dv2Dataset):
    """Reads what ``tools/misc/make_synthetic_dataset.py`` writes, through the HO3D loader.

    Args:
        split: ``'train'`` (with ``ann_file='train.txt'`` or ``'val.txt'``) or
            ``'evaluation'``.
        models_root: defaults to ``<data_root>/models``.
    """

    METAINFO = dict(HO3Dv2Dataset.METAINFO, dataset_name='synthetic')

    def __init__(self, data_root: str, split: str = 'train', ann_file: Optional[str] = None,
                 **kwargs: Any) -> None:
        kwargs.setdefault('models_root', osp.join(data_root, 'models'))
        super().__init__(data_root=data_root, split=split, ann_file=ann_file, **kwargs)

    def build_index(self) -> List[Dict[str, Any]]:
        out = super().build_index()
        for s in out:
            mask = osp.join(self.data_root, self.split, s['seq'], 'mask', f"{s['frame']}.png")
            s['mask_path'] = mask if osp.isfile(mask) else None
        return out
