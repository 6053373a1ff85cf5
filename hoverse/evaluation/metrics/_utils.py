"""Helpers shared by the metrics: tensors to numpy, sample order."""
from typing import List

import numpy as np

from hoverse.utils.arrays import to_numpy


def first(instances: dict, key: str) -> np.ndarray:
    """``instances[key][0]`` as float64 numpy (every sample holds one hand and object)."""
    return to_numpy(instances[key])[0].astype(np.float64)


def sort_by_index(results: List[dict]) -> List[dict]:
    """Results in dataset order (``sample_idx``), whatever order the ranks returned."""
    return sorted(results, key=lambda r: r['sample_idx'])
