from .inference import default_camera, inference_model, init_model

__all__ = ['default_camera', 'inference_model', 'init_model']
