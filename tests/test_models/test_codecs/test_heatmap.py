import pytest
import torch

from hoverse.registry import KEYPOINT_CODECS


@pytest.mark.parametrize('input_size, heatmap_size', [(128, 16), (256, 32), (256, 64)])
def test_encode_decode_round_trip(input_size, heatmap_size):
    codec = KEYPOINT_CODECS.build(dict(type='hoverse.SoftArgmaxHeatmap', input_size=input_size,
                                       heatmap_size=heatmap_size, sigma=1.0))
    torch.manual_seed(0)
    # keypoints away from the border (the expectation is biased at the edges)
    kpts = 0.25 * input_size + torch.rand(2, 9, 2) * 0.5 * input_size
    heat = codec.encode(kpts)
    assert heat.shape == (2, 9, heatmap_size, heatmap_size) and heat.max() <= 1.0
    coords, probs = codec.decode(torch.log(heat.clamp(min=1e-12)))  # softmax = the Gaussian
    torch.testing.assert_close(coords, kpts, atol=0.02 * codec.stride, rtol=0)
    assert codec.stride == input_size / heatmap_size


def test_mismatched_sizes_are_errors():
    with pytest.raises(ValueError, match='different strides'):
        KEYPOINT_CODECS.build(dict(type='hoverse.SoftArgmaxHeatmap', input_size=(128, 96),
                                   heatmap_size=16))
    codec = KEYPOINT_CODECS.build(dict(type='hoverse.SoftArgmaxHeatmap', input_size=128,
                                       heatmap_size=16))
    with pytest.raises(ValueError, match=r'expects \(16, 16\)'):
        codec.decode(torch.zeros(1, 9, 32, 32))


def test_model_input_size_must_match_the_codec(mano_dir):
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from hoverse.registry import MODELS
    init_default_scope('hoverse')
    cfg = Config.fromfile('configs/hoverse_plus/hoverse_plus_r18_synthetic.py')
    cfg.model.mano_head.mano.model_path = mano_dir
    cfg.model.object_models_root = None
    cfg.model.input_size = 256  # the codec still says 128
    with pytest.raises(ValueError, match='codec.input_size 128 differs from model.input_size'):
        MODELS.build(cfg.model)
