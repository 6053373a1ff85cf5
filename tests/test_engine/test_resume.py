import torch

from hoverse.engine import find_resume_checkpoint


def _ckpt(path, it):
    torch.save(dict(state_dict=dict(w=torch.full((2, ), float(it))), meta=dict(iter=it)), path)


def test_last_checkpoint_when_it_names_a_complete_file(tmp_path):
    _ckpt(tmp_path / 'iter_4.pth', 4)
    _ckpt(tmp_path / 'iter_8.pth', 8)
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_4.pth'))
    path, note = find_resume_checkpoint(str(tmp_path))
    assert path.endswith('iter_4.pth') and '(last_checkpoint)' in note


def test_falls_back_to_the_newest_complete_checkpoint_and_says_why(tmp_path):
    _ckpt(tmp_path / 'iter_4.pth', 4)
    _ckpt(tmp_path / 'iter_12.pth', 12)
    full = (tmp_path / 'iter_12.pth').read_bytes()
    (tmp_path / 'iter_16.pth').write_bytes(full[:len(full) // 2])  # truncated
    pointer = tmp_path / 'last_checkpoint'
    for content, why in (('', 'is empty'), (str(tmp_path / 'iter_20.pth'), 'does not exist'),
                         (str(tmp_path / 'iter_16.pth'), 'incomplete or corrupt')):
        pointer.write_text(content)
        path, note = find_resume_checkpoint(str(tmp_path))
        assert path.endswith('iter_12.pth'), content  # numeric order, not text order
        assert why in note and 'newest complete checkpoint' in note
    pointer.unlink()
    path, note = find_resume_checkpoint(str(tmp_path))
    assert path.endswith('iter_12.pth') and 'no last_checkpoint' in note


def test_nothing_to_resume_is_said(tmp_path):
    path, note = find_resume_checkpoint(str(tmp_path))
    assert path is None and 'starting from the beginning' in note
