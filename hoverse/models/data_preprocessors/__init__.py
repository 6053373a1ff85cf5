from .data_preprocessor import HandObjectDataPreprocessor

__all__ = ['HandObjectDataPreprocessor']
