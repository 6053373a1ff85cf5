from .base_hand_object_dataset import BaseHandObjectDataset
from .collate import CompactBatch, compact_collate
from .dexycb import DexYCBDataset
from .ho3d import HO3Dv2Dataset, HO3Dv3Dataset, load_ho3d_meta
from .synthetic import SyntheticHODataset
from .transforms import *  # noqa: F401,F403

__all__ = ['BaseHandObjectDataset', 'CompactBatch', 'compact_collate', 'DexYCBDataset',
           'HO3Dv2Dataset', 'HO3Dv3Dataset', 'load_ho3d_meta', 'SyntheticHODataset']
