"""Which system libraries the offscreen renderer loads, and what to install when one is
missing.

pyrender renders through EGL (``PYOPENGL_PLATFORM=egl``): PyOpenGL opens libEGL and libGL
(glvnd, dispatching to Mesa's libEGL_mesa and its software rasteriser swrast_dri), and
pyrender's import pulls pyglet, which opens libGLU. Listed from the shared objects a render
maps on Debian 12; the package manager brings their own dependencies (libgbm1, libglx0,
libglapi-mesa, libdrm2, ...).
"""
import ctypes
import glob
import re
from typing import Dict, List

#: library (as the loaders name it) -> the Debian package that ships it
RENDER_LIBRARIES: Dict[str, str] = {
    'libEGL.so.1': 'libegl1',
    'libEGL_mesa.so.0': 'libegl-mesa0',
    'swrast_dri.so': 'libgl1-mesa-dri',
    'libGL.so.1': 'libgl1',
    'libOpenGL.so.0': 'libopengl0',
    'libGLU.so.1': 'libglu1-mesa',
}
#: short names in loader messages ('Library "GLU" not found.') -> library
_SHORT = {'EGL': 'libEGL.so.1', 'GL': 'libGL.so.1', 'GLU': 'libGLU.so.1',
          'OpenGL': 'libOpenGL.so.0'}


def missing_render_libraries() -> List[str]:
    """The libraries of :data:`RENDER_LIBRARIES` that cannot be loaded here."""
    missing = []
    for lib in RENDER_LIBRARIES:
        if lib.endswith('_dri.so'):
            if not glob.glob(f'/usr/lib/*/dri/{lib}') + glob.glob(f'/usr/lib*/dri/{lib}'):
                missing.append(lib)
            continue
        try:
            ctypes.CDLL(lib)
        except OSError:
            missing.append(lib)
    return missing


def explain_render_failure(error: BaseException) -> str:
    """A sentence naming the libraries and Debian packages to install, from a renderer's
    exception (and a check of every library when the message names none)."""
    text = str(error)
    named = [lib for lib in RENDER_LIBRARIES if lib.split('.so')[0] + '.so' in text]
    named += [_SHORT[m] for m in re.findall(r'Library "(\w+)" not found', text)
              if m in _SHORT and _SHORT[m] not in named]
    libs = named or missing_render_libraries()
    if not libs:
        return (f'the renderer failed ({type(error).__name__}: {text}); its libraries load, '
                'so check PYOPENGL_PLATFORM=egl and the GPU/EGL driver')
    pkgs = sorted({RENDER_LIBRARIES[lib] for lib in libs})
    return (f'the renderer cannot load {", ".join(libs)} ({type(error).__name__}: {text}); '
            f'install it with: sudo apt-get install -y {" ".join(pkgs)}')
