"""Writers of tiny dataset trees in the official on-disk formats (for tests and demos)."""
from .dexycb_fixture import write_dexycb_fixture
from .ho3d_fixture import write_ho3d_fixture

__all__ = ['write_dexycb_fixture', 'write_ho3d_fixture']
