"""The procedural objects under YCB names, for the official-layout stand-ins."""
import os.path as osp
from typing import Dict

from hoverse.datasets.dexycb_splits import YCB_CLASSES

#: procedural object -> the YCB object it stands in for (the sphere has no YCB twin in
#: HO3D or Dex-YCB and is left out)
YCB_STAND_INS: Dict[str, str] = {
    'box': '003_cracker_box', 'bottle': '006_mustard_bottle', 'banana': '011_banana',
    'mug': '025_mug', 'can': '005_tomato_soup_can', 'bowl': '024_bowl'}
#: YCB object name -> its YCB-Video class id (1-21), Dex-YCB's ``ycb_ids``
YCB_IDS: Dict[str, int] = {name: i for i, name in YCB_CLASSES.items()}


def write_stand_in_models(models_root: str) -> Dict[str, str]:
    """Write the stand-in objects to ``models_root/<YCB name>/textured_simple.obj`` (YCB's
    layout) with their ``models_info.json`` (symmetries of these meshes, keyed by the YCB
    name); returns the procedural -> YCB name map."""
    from hoverse.objects.procedural import write_procedural_objects
    write_procedural_objects(models_root, list(YCB_STAND_INS), aliases=YCB_STAND_INS)
    assert all(osp.isfile(osp.join(models_root, n, 'textured_simple.obj'))
               for n in YCB_STAND_INS.values())
    return dict(YCB_STAND_INS)
