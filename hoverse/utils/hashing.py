"""File hashes for the record (scores files, published checkpoints)."""
import hashlib


def file_sha256(path: str, chunk: int = 1 << 20) -> str:
    """The sha256 of a file, hex."""
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(chunk), b''):
            h.update(block)
    return h.hexdigest()
