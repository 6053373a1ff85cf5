# The longer learning check with object coordinate maps: beside the rotation regression, a
# dense branch predicts, for each cell of a 32x32 grid over the crop, the object's
# model-frame point seen there (ObjectCoordinateMap; trained with L1 where the object is
# visible, and a mask of where it is). Training is otherwise hoverse_r18_synthetic_long's.
# The rotation reported is the regressed one; to read it from the map by PnP instead:
#   python tools/test.py configs/hoverse/hoverse_r18_synthetic_long_coords.py CKPT \
#       --cfg-options model.object_head.rot_from_coords=True
# docs/benchmarks.md gives both readouts' numbers (a 600-iteration fine-tune on 2 CPU cores:
# regressed 25.5, PnP 60.2 degrees median; the map is not yet learnt at that length).
_base_ = ['./hoverse_r18_synthetic_long.py']
model = dict(object_head=dict(
    coord_map=dict(type='ObjectCoordinateMap', input_size=128, heatmap_size=32),
    rot_from_coords=False))
