# Ablation: no auxiliary segmentation head (and no masks loaded).
_base_ = ['../hoverse/hoverse_r18_synthetic.py']
model = dict(seg_head=None)
train_pipeline = [dict(t, with_mask=False) if t['type'] == 'LoadImage' else t
                  for t in _base_.train_pipeline]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
