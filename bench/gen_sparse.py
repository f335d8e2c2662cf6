#!/usr/bin/env python3
"""Writes large *sparse* model files for header-only benchmarks (no disk space is used for the
tensor data): a 10 GB safetensors file and an 8 GB GGUF file with realistic headers.

usage: gen_sparse.py OUT_DIR
"""
import json, os, struct, sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

# safetensors: 200 F16 tensors summing to ~10 GB, contiguous, header padded to 8 bytes.
tensors, offset = {}, 0
for i in range(200):
    n = 25_000_000  # elements
    shape = [5000, 5000]
    size = n * 2
    tensors[f"model.layers.{i}.weight"] = {"dtype": "F16", "shape": shape, "data_offsets": [offset, offset + size]}
    offset += size
tensors["__metadata__"] = {"format": "pt"}
header = json.dumps(tensors, separators=(",", ":")).encode()
header += b" " * (-len(header) % 8)
path = os.path.join(out, "sparse-10g.safetensors")
with open(path, "wb") as f:
    f.write(struct.pack("<Q", len(header)))
    f.write(header)
    f.truncate(8 + len(header) + offset)
print(path, os.path.getsize(path))

# GGUF v3: llama-style metadata (with a real chat template and a 32k vocabulary) and 291 tensors.
def s(x):
    b = x.encode()
    return struct.pack("<Q", len(b)) + b
def kv_str(k, v):
    return s(k) + struct.pack("<I", 8) + s(v)
def kv_u32(k, v):
    return s(k) + struct.pack("<I", 4) + struct.pack("<I", v)
def kv_arr_str(k, vs):
    return s(k) + struct.pack("<I", 9) + struct.pack("<I", 8) + struct.pack("<Q", len(vs)) + b"".join(s(v) for v in vs)
template = "{% for m in messages %}{{ '<|start_header_id|>' + m['role'] + '<|end_header_id|>\\n\\n' + m['content'] + '<|eot_id|>' }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}"
kvs = [kv_str("general.architecture", "llama"), kv_str("general.name", "bench"), kv_u32("llama.block_count", 32),
       kv_u32("general.alignment", 32), kv_str("tokenizer.chat_template", template),
       kv_arr_str("tokenizer.ggml.tokens", [f"tok{i}" for i in range(32000)])]
infos, off = [], 0
for i in range(291):
    dims = [4096, 4096]
    infos.append(s(f"blk.{i}.weight") + struct.pack("<I", 2) + struct.pack("<QQ", *dims) + struct.pack("<I", 1) + struct.pack("<Q", off))
    off += 4096 * 4096 * 2
    off += -off % 32
head = b"GGUF" + struct.pack("<I", 3) + struct.pack("<Q", len(infos)) + struct.pack("<Q", len(kvs)) + b"".join(kvs) + b"".join(infos)
head += b"\0" * (-len(head) % 32)
path = os.path.join(out, "sparse-8g.gguf")
with open(path, "wb") as f:
    f.write(head)
    f.truncate(len(head) + off)
print(path, os.path.getsize(path))
