"""demo/web_demo.py: its upload checks and reconstruction, and the page in a real browser
(headless Debian chromium driven by Selenium)."""
import glob
import json
import os
import os.path as osp
import shutil
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

from tests.conftest import PLUGINS, REPO, load_script

CFG = 'configs/hoverse_plus/hoverse_plus_r18_synthetic.py'
INSTALL = ('apt-get install -y chromium chromium-driver && pip install --no-deps -r '
           'requirements/web.txt (tools/setup_env.sh does both)')


@pytest.fixture(scope='module')
def web():
    return load_script('demo/web_demo.py', 'web_demo')


def _image(root):
    return sorted(glob.glob(osp.join(root, 'train', '*', 'rgb', '*.png')))[0]


def test_uploads_are_checked_from_their_header(web, tmp_path):
    from PIL import Image
    small = tmp_path / 'small.png'
    Image.new('RGB', (64, 48), (10, 20, 30)).save(small)
    web.check_upload(str(small), 1 << 20, 10_000)
    with pytest.raises(web.UploadError, match='up to 0 MB'):
        web.check_upload(str(small), 10, 10_000)
    # a decompression bomb: a small file that decodes to 64 megapixels
    bomb = tmp_path / 'bomb.png'
    Image.new('L', (8000, 8000)).save(bomb)
    assert osp.getsize(bomb) < 1 << 20
    with pytest.raises(web.UploadError, match='8000x8000'):
        web.check_upload(str(bomb), 10 << 20, 40_000_000)
    text = tmp_path / 'notes.png'
    text.write_text('not an image')
    with pytest.raises(web.UploadError, match='not an image'):
        web.check_upload(str(text), 10 << 20, 40_000_000)
    with pytest.raises(web.UploadError, match='Upload a photo'):
        web.check_upload(None, 10 << 20, 40_000_000)
    assert web.parse_box('1, 2 3 4') == [1, 2, 3, 4] and web.parse_box(' ') is None
    with pytest.raises(web.UploadError, match='four numbers'):
        web.parse_box('1 2 3')


def test_reconstruct_writes_the_scene_and_the_json(web, tmp_path, synthetic_root,
                                                   r18_checkpoint):
    from hoverse.apis import init_model
    model = init_model(osp.join(REPO, CFG), r18_checkpoint['path'],
                       cfg_options=r18_checkpoint['options'])
    r = web.reconstruct(model, None, _image(synthetic_root), '60 60 200 200', 'box',
                        out_root=str(tmp_path))
    assert r['record']['object']['name'] == 'box' and osp.isfile(r['scene'])
    assert r['scene'].endswith('.glb') and 'Upload to 3D view' in r['message']
    with pytest.raises(web.UploadError, match='No hand detector'):
        web.reconstruct(model, None, _image(synthetic_root), '', out_root=str(tmp_path))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def browse(url: str, image: str, box: str, screenshot: str = None, timeout: float = 240):
    """Open the page in headless chromium, upload ``image``, type ``box``, press
    Reconstruct, wait for the result; returns ``(the download links, the 3D view's PNG
    bytes)`` and, with ``screenshot``, saves the whole page there."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which('chromium')
    for a in ('--headless=new', '--no-sandbox', '--disable-dev-shm-usage',
              '--window-size=1400,1300', '--use-angle=swiftshader',
              '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'):
        opts.add_argument(a)
    driver = webdriver.Chrome(service=Service(shutil.which('chromedriver')), options=opts)
    try:
        driver.get(url)
        wait = WebDriverWait(driver, timeout)
        upload = wait.until(ec.presence_of_element_located(
            (By.CSS_SELECTOR, '#photo input[type=file]')))
        upload.send_keys(image)
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, '#photo img')))
        field = driver.find_element(By.CSS_SELECTOR, '#box textarea')
        field.clear()
        field.send_keys(box)
        driver.find_element(By.CSS_SELECTOR, '#run').click()
        wait.until(lambda d: 'Upload to 3D view' in d.find_element(By.ID, 'message').text)
        canvas = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, '#view canvas')))
        time.sleep(3)  # the viewer loads the GLB and draws
        png = canvas.screenshot_as_png
        links = [a.get_attribute('href') for a in
                 driver.find_elements(By.CSS_SELECTOR, '#files a[href]')]
        if screenshot:
            driver.save_screenshot(screenshot)
        return links, png
    finally:
        driver.quit()


def test_the_page_in_a_real_browser(tmp_path, synthetic_root, r18_checkpoint):
    """Upload a synthetic image with a box: the 3D view draws the scene (its screenshot is
    not blank) and the JSON names the object."""
    for exe in ('chromium', 'chromedriver'):
        if shutil.which(exe) is None:
            pytest.skip(f'{exe} is not installed: {INSTALL}')
    for mod in ('gradio', 'selenium'):
        pytest.importorskip(mod, reason=f'the web extra is not installed: {INSTALL}')
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=PLUGINS, OMP_NUM_THREADS='1',
               GRADIO_ANALYTICS_ENABLED='False', GRADIO_TEMP_DIR=str(tmp_path / 'gradio'))
    server = subprocess.Popen(
        [sys.executable, 'demo/web_demo.py', CFG, r18_checkpoint['path'], '--port', str(port),
         '--examples', '--cfg-options', *r18_checkpoint['cli']], cwd=REPO, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 180
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(('127.0.0.1', port)) == 0:
                    break
            assert server.poll() is None, server.stdout.read()[-3000:]
            time.sleep(1)
        links, png = browse(f'http://127.0.0.1:{port}', _image(synthetic_root),
                            '60 60 200 200', str(tmp_path / 'page.png'))
        # the JSON and the GLB the page offers for download
        import urllib.request
        got = {osp.splitext(link.split('?')[0])[1]: urllib.request.urlopen(link).read()
               for link in links}
    finally:
        server.terminate()
        server.wait(30)
    assert set(got) == {'.json', '.glb'}, links
    record = json.loads(got['.json'])
    names = sorted(osp.basename(p) for p in glob.glob(osp.join(synthetic_root, 'models', '*'))
                   if osp.isdir(p))
    assert record['object']['name'] in names and record['hand_object_box'] == [60, 60, 200, 200]
    import cv2
    view = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    # the viewer's white background with the meshes drawn on it: many distinct colours
    assert view is not None and view.std() > 5 and len(np.unique(view.reshape(-1, 3), 0)) > 50
    assert osp.getsize(tmp_path / 'page.png') > 10000
    import io

    import trimesh
    scene = trimesh.load(io.BytesIO(got['.glb']), file_type='glb', process=False)
    assert {'hand', 'object'} <= set(scene.geometry)
