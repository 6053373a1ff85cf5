from .hand_object_data_sample import HandObjectDataSample

__all__ = ['HandObjectDataSample']
