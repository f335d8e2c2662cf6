"""Writes benign_numpy.safetensors the way the real producer does (safetensors.numpy.save_file)."""
import numpy as np
from safetensors.numpy import save_file

tensors = {
    "embed.weight": np.arange(64, dtype=np.float32).reshape(16, 4),
    "head.bias": np.zeros(4, dtype=np.float16),
    "positions": np.arange(8, dtype=np.int64),
}
save_file(tensors, "benign_numpy.safetensors", metadata={"format": "np", "license": "apache-2.0", "note": "vouch test fixture"})
