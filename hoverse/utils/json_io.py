"""Result files of the tools."""
import json
import os
import os.path as osp
from typing import Any


def write_json(path: str, obj: Any) -> None:
    """Write ``obj`` as indented JSON to ``path``, creating its folder."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(obj, f, indent=1)
