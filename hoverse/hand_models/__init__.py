from .joint_orders import *  # noqa: F401,F403
