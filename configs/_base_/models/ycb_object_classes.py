# The YCB objects of HO3D v2 and Dex-YCB (Dex-YCB's 21 classes, its toolkit's order; HO3D
# v2 uses ten of them): the classes of the held-object classifier, e.g.
#   model = dict(cls_head=dict(type='ObjectClassificationHead', in_channels=256,
#                              class_names=_base_.ycb_object_classes))
ycb_object_classes = [
    '002_master_chef_can', '003_cracker_box', '004_sugar_box', '005_tomato_soup_can',
    '006_mustard_bottle', '007_tuna_fish_can', '008_pudding_box', '009_gelatin_box',
    '010_potted_meat_can', '011_banana', '019_pitcher_base', '021_bleach_cleanser',
    '024_bowl', '025_mug', '035_power_drill', '036_wood_block', '037_scissors',
    '040_large_marker', '051_large_clamp', '052_extra_large_clamp', '061_foam_brick']
