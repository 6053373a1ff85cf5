from .hand_object_reconstructor import HandObjectReconstructor

__all__ = ['HandObjectReconstructor']
