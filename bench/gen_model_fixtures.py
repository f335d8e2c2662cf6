#!/usr/bin/env python3
"""Writes small model repositories for bench/bom_compare.sh (OUT/<name>/...):
llama-base (card, config, tokenizer, 2 safetensors shards + index), finetune (two training
datasets, an evaluation dataset in model-index, base_model + relation), peft-adapter
(adapter_config.json), gguf-quant (a tiny GGUF v3 file), license-other (custom LICENSE)."""
import json
import os
import struct
import sys

out = sys.argv[1]


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def safetensors(tensors):
    header, off = {}, 0
    for name, (dtype, shape, size) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [off, off + size]}
        off += size
    h = json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + b"\0" * off


def card(front, body):
    return "---\n" + front + "---\n" + body


d = os.path.join(out, "llama-base")
write(f"{d}/README.md", card("license: llama3.1\npipeline_tag: text-generation\nlibrary_name: transformers\nlanguage:\n- en\n", "# Tiny Llama\n\n## Limitations\n\nToy model.\n"))
write(f"{d}/config.json", json.dumps({"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4, "num_hidden_layers": 1, "vocab_size": 8}))
write(f"{d}/tokenizer_config.json", json.dumps({"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": 128, "chat_template": "{{ messages }}"}))
write(f"{d}/model-00001-of-00002.safetensors", safetensors({"a": ("BF16", [4, 4], 32)}))
write(f"{d}/model-00002-of-00002.safetensors", safetensors({"b": ("F32", [4], 16)}))
write(f"{d}/model.safetensors.index.json", json.dumps({"metadata": {"total_size": 48}, "weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}))

d = os.path.join(out, "finetune")
write(f"{d}/README.md", card(
    "license: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\nbase_model_relation: finetune\ndatasets:\n- org/train-a\n- org/train-b\n"
    "model-index:\n- name: org/tiny-ft\n  results:\n  - task:\n      type: text-generation\n    dataset:\n      name: MMLU\n      type: cais/mmlu\n    metrics:\n    - type: accuracy\n      value: 0.61\n",
    "# Tiny fine-tune\n"))
write(f"{d}/config.json", json.dumps({"architectures": ["LlamaForCausalLM"], "model_type": "llama"}))
write(f"{d}/model.safetensors", safetensors({"w": ("F16", [2, 5], 20)}))

d = os.path.join(out, "peft-adapter")
write(f"{d}/README.md", card("license: llama3.1\nlibrary_name: peft\n", "# LoRA\n"))
write(f"{d}/adapter_config.json", json.dumps({"base_model_name_or_path": "meta-llama/Llama-3.1-8B", "peft_type": "LORA", "task_type": "CAUSAL_LM", "r": 8, "target_modules": ["q_proj", "v_proj"]}))
write(f"{d}/adapter_model.safetensors", safetensors({"lora_A": ("F32", [8, 4], 128)}))


def gguf():
    def s(x):
        b = x.encode()
        return struct.pack("<Q", len(b)) + b
    kv = [("general.architecture", 8, s("llama")), ("general.name", 8, s("Tiny Llama")), ("general.file_type", 4, struct.pack("<I", 15)),
          ("general.license", 8, s("llama3.1")), ("general.base_model.count", 4, struct.pack("<I", 1)),
          ("general.base_model.0.repo_url", 8, s("https://huggingface.co/meta-llama/Llama-3.1-8B"))]
    body = b"".join(s(k) + struct.pack("<I", t) + v for k, t, v in kv)
    tensor = s("w") + struct.pack("<I", 2) + struct.pack("<QQ", 4, 4) + struct.pack("<I", 0) + struct.pack("<Q", 0)
    head = b"GGUF" + struct.pack("<I", 3) + struct.pack("<Q", 1) + struct.pack("<Q", len(kv)) + body + tensor
    pad = (-len(head)) % 32
    return head + b"\0" * pad + b"\0" * 64


write(os.path.join(out, "gguf-quant", "tiny-Q4_K_M.gguf"), gguf())

d = os.path.join(out, "license-other")
write(f"{d}/README.md", card("license: other\nlicense_name: acme-model-license\nlicense_link: LICENSE\n", "# Acme\n"))
write(f"{d}/LICENSE", "ACME Model License 1.0\n\nYou may not use the model for commercial purposes.\n")
write(f"{d}/config.json", json.dumps({"architectures": ["BertModel"], "model_type": "bert"}))
write(f"{d}/model.safetensors", safetensors({"w": ("F32", [3], 12)}))
print("fixtures in", out)
