from hoverse.visualization.renderer_check import (RENDER_LIBRARIES, explain_render_failure,
                                                  missing_render_libraries)


def test_loader_messages_name_the_package():
    msg = explain_render_failure(ImportError('Library "GLU" not found.'))
    assert 'libGLU.so.1' in msg and 'apt-get install -y libglu1-mesa' in msg
    msg = explain_render_failure(OSError('libEGL.so.1: cannot open shared object file'))
    assert 'apt-get install -y libegl1' in msg and 'libglu1-mesa' not in msg
    # libGLU's name must not read as libGL's
    assert 'libgl1 ' not in explain_render_failure(OSError('libGLU.so.1: missing')) + ' '


def test_every_library_has_a_package_and_the_check_lists_only_known_ones():
    assert set(RENDER_LIBRARIES.values()) >= {'libegl1', 'libglu1-mesa', 'libgl1-mesa-dri'}
    assert set(missing_render_libraries()) <= set(RENDER_LIBRARIES)


def test_setup_script_installs_every_package():
    text = open('tools/setup_env.sh').read()
    line = next(ln for ln in text.splitlines() if ln.startswith('EGL_PKGS='))
    assert set(line.split('"')[1].split()) == set(RENDER_LIBRARIES.values())
