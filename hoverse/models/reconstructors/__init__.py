from .hand_object_reconstructor import HandObjectReconstructor
from .object_templates import TemplateBank

__all__ = ['HandObjectReconstructor', 'TemplateBank']
