from .physics import depth_inside_hand, query_sdf, to_object_frame, vertex_normals

__all__ = ['depth_inside_hand', 'query_sdf', 'to_object_frame', 'vertex_normals']
