# The long learning check with the object's coordinate map: for each cell of a 32x32 grid
# over the crop, the model point of the object seen there and whether it is seen
# (ObjectCoordinateMap), beside the rotation regression, which it reports. The rotation
# read from the map by RANSAC PnP instead:
#   python tools/test.py configs/hoverse_plus/hoverse_plus_r18_synthetic_long_coords.py CKPT \
#       --cfg-options model.object_head.rot_readout=pnp
_base_ = ['./hoverse_plus_r18_synthetic_long.py']
model = dict(object_head=dict(
    coord_map=dict(type='ObjectCoordinateMap', input_size=128, heatmap_size=32)))
