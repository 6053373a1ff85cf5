"""Research tools over trained models and datasets (trivial baselines, probes, learning
curves), used by ``tools/analysis_tools`` and nothing in the model, the datasets or the
metrics: the top floor, beside ``apis``."""
