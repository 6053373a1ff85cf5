from .dual_stream_resnet import DualStreamResNet

__all__ = ['DualStreamResNet']
