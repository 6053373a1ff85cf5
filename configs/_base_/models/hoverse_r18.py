# hoverse at CPU size: ResNet-18 streams, 128x128 crops, narrower necks and decoders.
# The method is the paper's (./hoverse.py); only the sizes change.
_base_ = ['./hoverse.py']
model = dict(
    backbone=dict(depth=18, out_channels=128,
                  init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet18')),
    # stride-4 heatmaps: D-BFAM's heatmap heads upsample the stride-8 maps 2x (32x32 on
    # the 128-px crop)
    dbfam=dict(in_channels=128, hidden=64, heatmap_upsample=2),
    cfsm=dict(channels=128, num_heads=4, token_stride=1),
    mano_head=dict(in_channels=128, kpt_channels=64, hidden=256),
    object_head=dict(in_channels=128, kpt_channels=64, hidden=256),
    input_size=128,
    codec=dict(input_size=128, heatmap_size=32))
