# The longer learning check: hoverse_r18_synthetic on a larger synthetic set, trained long
# enough for the object's rotation to be learned (docs/benchmarks.md gives the numbers).
#   python tools/misc/make_synthetic_dataset.py data/synthetic_long --num-train 5000 \
#       --num-val 300 --num-eval 100 --num-workers 16
#   python tools/train.py configs/hoverse/hoverse_r18_synthetic_long.py
# or all of it, with the evaluation, baselines and learning curves:
#   bash tools/misc/learning_check.sh configs/hoverse/hoverse_r18_synthetic_long.py 16
# Measured: 0.18 s an iteration alone on one H200 (batch 32, 12 workers; with stride-8
# heatmaps), so about 8 minutes for the 2,500 iterations; on 2 CPU cores about 2.4 s an
# iteration (one worker) with either heatmap stride, so about 1 h 45 min, plus about 5
# minutes of rendering (docs/benchmarks.md).
_base_ = ['./hoverse_r18_synthetic.py']
data_root = 'data/synthetic_long'
model = dict(object_models_root=data_root + '/models')
train_dataloader = dict(batch_size=32, num_workers='auto', pin_memory='auto',
                        dataset=dict(data_root=data_root))
val_dataloader = dict(num_workers=4, dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
_evaluators = [
    dict(type='HandPoseMetric'),
    dict(type='ObjectPoseMetric', models_root=data_root + '/models'),
    dict(type='InteractionMetric', models_root=data_root + '/models', mano_path='data/mano'),
    dict(type='ObjectClassMetric'),  # with the model's cls_head
]
val_evaluator = _evaluators
test_evaluator = _evaluators
train_cfg = dict(by_epoch=False, max_iters=2500, val_interval=1250)
default_hooks = dict(logger=dict(interval=50),
                     checkpoint=dict(by_epoch=False, interval=1250, max_keep_ckpts=2))
