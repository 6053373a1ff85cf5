from .hand_errors import mpjpe, pa_mpjpe

__all__ = ['mpjpe', 'pa_mpjpe']
