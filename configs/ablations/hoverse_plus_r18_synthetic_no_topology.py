# Ablation: D-BFAM without its global keypoint-topology graph (hand skeleton, object box).
_base_ = ['../hoverse_plus/hoverse_plus_r18_synthetic.py']
model = dict(dbfam=dict(use_topology=False))
