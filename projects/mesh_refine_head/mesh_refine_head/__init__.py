"""A hoverse plugin: a hand head that refines the MANO mesh vertex by vertex."""
from .mesh_refine_head import MeshRefineHead

__all__ = ['MeshRefineHead']
