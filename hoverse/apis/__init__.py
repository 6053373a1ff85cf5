from .inference import crop_prior, default_camera, inference_model, init_model

__all__ = ['crop_prior', 'default_camera', 'inference_model', 'init_model']
