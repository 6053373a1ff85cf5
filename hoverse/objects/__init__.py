from .object_library import MESH_FILE, ObjectLibrary, ObjectTemplate, box_corners
from .procedural import PROCEDURAL_OBJECTS, write_procedural_objects
from .object_symmetry import ObjectSymmetry, read_models_info, write_models_info
from .template_bank import TemplateBank
from .sdf import (SDFGrid, compute_sdf_grid, exact_signed_distance, load_or_build_sdf_grid,
                  mesh_hash)

__all__ = [
    'MESH_FILE', 'ObjectLibrary', 'ObjectTemplate', 'box_corners', 'PROCEDURAL_OBJECTS',
    'write_procedural_objects', 'SDFGrid', 'compute_sdf_grid', 'exact_signed_distance',
    'load_or_build_sdf_grid', 'mesh_hash', 'ObjectSymmetry', 'read_models_info',
    'write_models_info', 'TemplateBank'
]
