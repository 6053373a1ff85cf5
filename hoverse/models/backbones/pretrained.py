"""ImageNet weights for the backbones: found, downloaded, or an error that says where to put
them; never a silent random start."""
import os
import os.path as osp

import torch

#: torchvision's ImageNet ResNet weights (IMAGENET1K_V1, the ones peers' ResNet backbones
#: start from) by their ``torchvision://`` names
TORCHVISION_RESNET_URLS = {
    'resnet18': 'https://download.pytorch.org/models/resnet18-f37072fd.pth',
    'resnet34': 'https://download.pytorch.org/models/resnet34-b627a593.pth',
    'resnet50': 'https://download.pytorch.org/models/resnet50-0676ba61.pth',
    'resnet101': 'https://download.pytorch.org/models/resnet101-63fe2227.pth',
}


class PretrainedWeightsError(FileNotFoundError):
    """Pretrained weights a config asks for can be neither found nor downloaded."""


def hub_checkpoint_path(name: str) -> str:
    """Where torch hub keeps (and hoverse looks for) the weights ``torchvision://name``."""
    url = TORCHVISION_RESNET_URLS[name]
    return osp.join(torch.hub.get_dir(), 'checkpoints', osp.basename(url))


def resolve_pretrained(checkpoint: str) -> str:
    """The local file of ``checkpoint``: a path, or ``torchvision://resnetXX`` (torch hub's
    checkpoints folder, downloaded there with its hash checked when it is missing).

    Raises:
        PretrainedWeightsError: the file is missing and cannot be downloaded (offline), or
            the name is unknown; the message names the file, the address and what to do.
    """
    if not checkpoint.startswith('torchvision://'):
        if not osp.isfile(checkpoint):
            raise PretrainedWeightsError(
                f'pretrained weights {checkpoint!r} do not exist; give the path of the file, '
                "or set the backbone's init_cfg=None to start from random weights on purpose")
        return checkpoint
    name = checkpoint[len('torchvision://'):]
    if name not in TORCHVISION_RESNET_URLS:
        raise PretrainedWeightsError(f'unknown pretrained weights {checkpoint!r}; known: '
                                     + ', '.join(f'torchvision://{n}'
                                                 for n in TORCHVISION_RESNET_URLS))
    path, url = hub_checkpoint_path(name), TORCHVISION_RESNET_URLS[name]
    if osp.isfile(path):
        return path
    os.makedirs(osp.dirname(path), exist_ok=True)
    hash_prefix = osp.basename(url).rsplit('-', 1)[-1].split('.')[0]
    try:
        torch.hub.download_url_to_file(url, path, hash_prefix=hash_prefix, progress=False)
    except Exception as err:  # noqa: BLE001  (no network, a proxy, a bad download)
        raise PretrainedWeightsError(
            f'the ImageNet weights {checkpoint} are not at {path} and could not be '
            f'downloaded from {url} ({type(err).__name__}: {err}). Download that file on a '
            f'machine with internet access and put it at {path} (torch hub\'s folder; '
            "TORCH_HOME moves it), or set the backbone's init_cfg=None to train from random "
            'weights on purpose.') from err
    return path
