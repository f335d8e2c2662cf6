#!/usr/bin/env python3
"""Generate small, REAL benign model/checkpoint files for vouch's test suite.

Every file is written by the producing library's own save function, exactly as
a user (or a framework such as the Hugging Face Trainer) would write it, so the
set of pickle globals these files reference is real-world evidence for vouch's
allowlist. Model dimensions are shrunk so each file stays small (< ~200 KB).

Usage (from the repo root, inside a venv that has the libraries installed):

    python scripts/gen_benign_fixtures.py                 # all sections
    python scripts/gen_benign_fixtures.py --only torch numpy
    python scripts/gen_benign_fixtures.py --out some/dir

Sections: torch, transformers, numpy, sklearn, joblib, pandas. A section whose
library is missing is skipped with a message. The transformers section names
its files after the transformers major version (transformers4_*, transformers5_*)
because v5 dropped `save_pretrained(safe_serialization=False)`; to produce the
v4 files, run the section again with transformers 4.x importable, e.g.

    pip install --target /tmp/tf4 --no-deps "transformers>=4.50,<5" \
        "huggingface_hub<1.0" "tokenizers<0.23" requests charset_normalizer \
        urllib3 certifi
    PYTHONPATH=/tmp/tf4 python scripts/gen_benign_fixtures.py --only transformers

README.md in the output directory gets one line per file (what wrote it, with
which library versions); lines for files not regenerated in this run are kept.

Nothing here ever loads a pickle; it only writes them.
"""

import argparse
import collections
import contextlib
import os
import pickle
import platform
import random
import re
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO, "tests", "fixtures", "benign")
SEED = 0
MAX_FILE_BYTES = 200 * 1024

# file name -> (description, versions string); filled by record().
MANIFEST = {}


def versions(*mods):
    """'python 3.11.7, torch 2.x, ...' for the given (already imported) modules."""
    parts = ["python " + platform.python_version()]
    for m in mods:
        parts.append("%s %s" % (m.__name__.split(".")[0], getattr(m, "__version__", "?")))
    return ", ".join(parts)


def record(out, name, desc, vers):
    """Remember what produced `name` and warn if it is larger than intended."""
    path = os.path.join(out, name)
    size = os.path.getsize(path)
    if size > MAX_FILE_BYTES:
        print("WARNING: %s is %d bytes (> %d)" % (name, size, MAX_FILE_BYTES), file=sys.stderr)
    MANIFEST[name] = (desc, vers)
    print("  wrote %-55s %8d bytes" % (name, size))


def seed_everything():
    random.seed(SEED)
    with contextlib.suppress(ImportError):
        import numpy as np
        np.random.seed(SEED)
    with contextlib.suppress(ImportError):
        import torch
        torch.manual_seed(SEED)


@contextlib.contextmanager
def in_tempdir():
    """Run code that may create stray directories (e.g. TrainingArguments) in a temp cwd."""
    old = os.getcwd()
    with tempfile.TemporaryDirectory() as d:
        os.chdir(d)
        try:
            yield d
        finally:
            os.chdir(old)


# --------------------------------------------------------------------------- torch

# A user-defined module at module level (pickle needs an importable class). When this
# script runs as a program its class path is __main__.TinyNet, exactly like real
# `torch.save(model)` files that reference the user's own training script.
try:
    import torch as _torch
    import torch.nn as _nn
except ImportError:  # torch section will be skipped
    _nn = None

if _nn is not None:
    class TinyNet(_nn.Module):
        """Embedding -> Conv1d -> LayerNorm -> Linear, plus a registered buffer."""

        def __init__(self):
            super().__init__()
            self.emb = _nn.Embedding(10, 4)
            self.conv = _nn.Conv1d(4, 4, kernel_size=3, padding=1)
            self.norm = _nn.LayerNorm(4)
            self.fc = _nn.Linear(4, 2)
            self.register_buffer("running", _torch.zeros(2))

        def forward(self, x):
            h = self.emb(x).transpose(1, 2)
            h = _torch.relu(self.conv(h)).transpose(1, 2)
            return self.fc(self.norm(h)).mean(dim=1) + self.running


def gen_torch(out):
    import numpy as np
    import torch
    import torch.nn as nn

    V = versions(torch, np)

    def seq_model():
        return nn.Sequential(
            nn.Linear(8, 16),
            nn.ReLU(),
            nn.LayerNorm(16),
            nn.Dropout(0.1),
            nn.Linear(16, 4),
        )

    seed_everything()
    seq = seq_model()
    tiny = TinyNet()

    # 1. state_dict, default (zip) format and legacy format.
    torch.save(seq.state_dict(), os.path.join(out, "torch_state_dict_zip.pt"))
    record(out, "torch_state_dict_zip.pt", "torch.save(nn.Sequential(Linear,ReLU,LayerNorm,Dropout,Linear).state_dict()) default zip format", V)

    torch.save(tiny.state_dict(), os.path.join(out, "torch_state_dict_conv_emb_zip.pt"))
    record(out, "torch_state_dict_conv_emb_zip.pt", "torch.save(state_dict) of a module with Embedding/Conv1d/LayerNorm/Linear + buffer, zip format", V)

    torch.save(seq.state_dict(), os.path.join(out, "torch_state_dict_legacy.pt"), _use_new_zipfile_serialization=False)
    record(out, "torch_state_dict_legacy.pt", "torch.save(state_dict, _use_new_zipfile_serialization=False) legacy stacked-pickle format", V)

    torch.save(seq.state_dict(), os.path.join(out, "torch_state_dict_zip_proto4.pt"), pickle_protocol=4)
    record(out, "torch_state_dict_zip_proto4.pt", "torch.save(state_dict, pickle_protocol=4) zip format (STACK_GLOBAL instead of GLOBAL)", V)

    # 2. whole modules.
    torch.save(seq, os.path.join(out, "torch_whole_module_sequential.pt"))
    record(out, "torch_whole_module_sequential.pt", "torch.save(nn.Sequential model) -- whole module pickled, zip format", V)

    torch.save(seq, os.path.join(out, "torch_whole_module_sequential_legacy.pt"), _use_new_zipfile_serialization=False)
    record(out, "torch_whole_module_sequential_legacy.pt", "torch.save(nn.Sequential model, legacy format)", V)

    torch.save(tiny, os.path.join(out, "torch_whole_module_custom_class.pt"))
    record(out, "torch_whole_module_custom_class.pt", "torch.save(user-defined nn.Module subclass) -- references __main__.TinyNet", V)

    # 3. optimizer / scheduler state dicts (after one step, so state is populated).
    x = torch.randn(4, 8)
    for name, opt in (
        ("adam", torch.optim.Adam(seq.parameters(), lr=1e-3)),
        ("sgd", torch.optim.SGD(seq.parameters(), lr=0.1, momentum=0.9)),
        ("adamw", torch.optim.AdamW(seq.parameters(), lr=1e-3, weight_decay=0.01)),
    ):
        opt.zero_grad()
        seq(x).sum().backward()
        opt.step()
        fname = "torch_optimizer_%s_state_dict.pt" % name
        torch.save(opt.state_dict(), os.path.join(out, fname))
        record(out, fname, "torch.save(torch.optim.%s(...).state_dict()) after one step" % type(opt).__name__, V)

    opt = torch.optim.SGD(seq.parameters(), lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    opt.step()
    sched.step()
    torch.save(sched.state_dict(), os.path.join(out, "torch_lr_scheduler_steplr.pt"))
    record(out, "torch_lr_scheduler_steplr.pt", "torch.save(StepLR.state_dict()) (what Trainer writes as scheduler.pt)", V)

    # 4. Trainer-style RNG state file (rng_state.pth): python, numpy and torch RNG states.
    torch.save(
        {"python": random.getstate(), "numpy": np.random.get_state(), "cpu": torch.random.get_rng_state()},
        os.path.join(out, "torch_rng_state.pth"),
    )
    record(out, "torch_rng_state.pth", "torch.save({'python': random.getstate(), 'numpy': np.random.get_state(), 'cpu': torch.get_rng_state()}) as HF Trainer writes rng_state.pth", V)

    # 5. a typical training checkpoint dict with many value types and dtypes.
    def dtype_tensors():
        t = {}
        for dt in (torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int8, torch.uint8,
                   torch.int16, torch.int32, torch.int64, torch.bool, torch.complex64, torch.complex128):
            t[str(dt)] = (torch.arange(6) % 3).to(dt).reshape(2, 3)
        # Newer dtypes if this torch has them.
        for name in ("uint16", "uint32", "uint64", "float8_e4m3fn", "float8_e5m2"):
            dt = getattr(torch, name, None)
            if dt is not None:
                with contextlib.suppress(Exception):
                    t[str(dt)] = torch.zeros(2, 3).to(dt)
        return t

    param_with_attr = nn.Parameter(torch.ones(3))
    param_with_attr.tensor_model_parallel = True  # extra __dict__ -> _rebuild_parameter_with_state
    tensor_with_attr = torch.ones(2)
    tensor_with_attr.note = "has __dict__"  # -> torch._tensor._rebuild_from_type_v2
    base = torch.arange(10, dtype=torch.float32)
    ckpt = {
        "epoch": 3,
        "global_step": 1200,
        "best_loss": 0.1234,
        "arch": "tiny-seq",
        "flags": {"amp": False, "tags": ["a", "b"], "pair": (1, 2.5), "nothing": None},
        "model": seq.state_dict(),  # OrderedDict with _metadata
        "ordered": collections.OrderedDict([("a", 1), ("b", 2)]),
        "optimizer": opt.state_dict(),
        "tensors": dtype_tensors(),
        "views": {"base": base, "slice": base[2:5], "strided": base[::2]},  # shared storage, offsets
        "noncontig": torch.arange(6.0).reshape(2, 3).t(),
        "scalar": torch.tensor(1.5),
        "empty": torch.empty(0, 3),
        "param": nn.Parameter(torch.zeros(2, 2)),
        "param_with_attr": param_with_attr,
        "tensor_with_attr": tensor_with_attr,
        "shape": torch.Size([2, 3]),
        "device": torch.device("cpu"),
        "dtype": torch.float16,
        "np_scalar": np.float64(0.5),
        "np_int": np.int64(7),
        "np_array": np.arange(4, dtype=np.float32),
        "bytes": b"\x00\x01raw",
        "set": {1, 2, 3},
        "slice": slice(1, 5, 2),
        "complex": 1 + 2j,
    }
    torch.save(ckpt, os.path.join(out, "torch_checkpoint_dict_zip.pt"))
    record(out, "torch_checkpoint_dict_zip.pt", "torch.save(training checkpoint dict: ints/floats/str/OrderedDict/state_dicts/tensors of all dtypes/views/Parameter/Size/device/dtype/numpy values)", V)

    torch.save(ckpt, os.path.join(out, "torch_checkpoint_dict_legacy.pt"), _use_new_zipfile_serialization=False)
    record(out, "torch_checkpoint_dict_legacy.pt", "same checkpoint dict, legacy format (torch 2.15 torch.load fails on it: UntypedStorage has no attribute dtype -- new dtypes in legacy format)", V)

    # 5b. tensors pickled with plain pickle (not torch.save), as happens with joblib,
    #     multiprocessing or pickle.dump of a dict holding tensors: each storage becomes
    #     torch.storage._load_from_bytes(<a whole torch.save zip file as bytes>).
    with open(os.path.join(out, "torch_tensors_plain_pickle.pkl"), "wb") as f:
        pickle.dump({"w": torch.arange(4, dtype=torch.float32), "p": nn.Parameter(torch.ones(2))}, f, protocol=4)
    record(out, "torch_tensors_plain_pickle.pkl", "pickle.dump({tensor, Parameter}, protocol=4) -- storages embedded via torch.storage._load_from_bytes", V)

    # 6. quantized, sparse and meta tensors (each in its own file; skipped if unsupported).
    def try_save(fname, desc, make):
        try:
            obj = make()
            torch.save(obj, os.path.join(out, fname))
        except Exception as e:  # noqa: BLE001 - optional feature
            print("  skipped %s: %s" % (fname, e))
            with contextlib.suppress(FileNotFoundError):
                os.remove(os.path.join(out, fname))
            return
        record(out, fname, desc, V)

    try_save("torch_quantized_tensors.pt", "torch.save of per-tensor and per-channel quantized tensors (qint8/quint8)", lambda: {
        "per_tensor": torch.quantize_per_tensor(torch.randn(4), 0.1, 0, torch.quint8),
        "per_channel": torch.quantize_per_channel(torch.randn(2, 3), torch.tensor([0.1, 0.2]), torch.tensor([0, 1]), 0, torch.qint8),
    })
    try_save("torch_sparse_tensors.pt", "torch.save of sparse COO and CSR tensors", lambda: {
        "coo": torch.tensor([[0.0, 1.0], [2.0, 0.0]]).to_sparse(),
        "csr": torch.tensor([[0.0, 1.0], [2.0, 0.0]]).to_sparse_csr(),
    })
    try_save("torch_meta_tensor.pt", "torch.save of a tensor on the meta device (no storage)", lambda: {
        "meta": torch.empty(2, 3, device="meta"),
    })

    # 7. TorchScript (scripted and traced) archives, and a lite-interpreter (mobile) archive.
    try:
        scripted = torch.jit.script(seq_model().eval())
        torch.jit.save(scripted, os.path.join(out, "torch_jit_script.pt"))
        record(out, "torch_jit_script.pt", "torch.jit.save(torch.jit.script(nn.Sequential)) TorchScript zip (data.pkl, constants.pkl, code/)", V)
        traced = torch.jit.trace(TinyNet().eval(), torch.zeros(1, 5, dtype=torch.long))
        torch.jit.save(traced, os.path.join(out, "torch_jit_trace.pt"))
        record(out, "torch_jit_trace.pt", "torch.jit.save(torch.jit.trace(custom module)) TorchScript zip", V)
        scripted._save_for_lite_interpreter(os.path.join(out, "torch_jit_lite.ptl"))
        record(out, "torch_jit_lite.ptl", "scripted._save_for_lite_interpreter() mobile archive (bytecode.pkl)", V)
    except Exception as e:  # noqa: BLE001 - TorchScript is deprecated in newer torch
        print("  skipped TorchScript: %s" % e)

    # 8. torch.export archive (.pt2): JSON + raw weights, with a nested torch.save zip
    #    (data/sample_inputs/model.pt) holding the example inputs.
    try:
        ep = torch.export.export(TinyNet().eval(), (torch.zeros(1, 5, dtype=torch.long),))
        torch.export.save(ep, os.path.join(out, "torch_export_program.pt2"))
        record(out, "torch_export_program.pt2", "torch.export.save(torch.export.export(custom module)) .pt2 archive (nested torch zip of sample inputs)", V)
    except Exception as e:  # noqa: BLE001 - optional feature
        print("  skipped torch.export: %s" % e)


# --------------------------------------------------------------------- transformers

def gen_transformers(out):
    import torch
    import transformers
    from transformers import BertConfig, BertModel, GPT2Config, GPT2LMHeadModel, TrainingArguments

    major = int(transformers.__version__.split(".")[0])
    prefix = "transformers%d_" % major
    V = versions(transformers, torch)
    seed_everything()

    bert = BertModel(BertConfig(vocab_size=64, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                                intermediate_size=16, max_position_embeddings=16, type_vocab_size=2))
    gpt2 = GPT2LMHeadModel(GPT2Config(vocab_size=64, n_embd=8, n_layer=1, n_head=2, n_positions=16,
                                      bos_token_id=0, eos_token_id=0))

    for tag, model in (("bert", bert), ("gpt2", gpt2)):
        if major < 5:
            # transformers 4.x: save_pretrained(safe_serialization=False) writes pytorch_model.bin
            # (torch.save of the state dict) + config.json. Only the .bin is kept.
            with tempfile.TemporaryDirectory() as d:
                model.save_pretrained(d, safe_serialization=False)
                fname = prefix + tag + "_pytorch_model.bin"
                os.replace(os.path.join(d, "pytorch_model.bin"), os.path.join(out, fname))
            record(out, fname, "tiny %s: model.save_pretrained(dir, safe_serialization=False) -> pytorch_model.bin" % type(model).__name__, V)
        # Whole transformers model pickled (people do torch.save(model)); references transformers classes.
        fname = prefix + tag + "_whole_model_torch_save.pt"
        try:
            torch.save(model, os.path.join(out, fname))
            record(out, fname, "torch.save(tiny %s) -- whole transformers model object pickled" % type(model).__name__, V)
        except Exception as e:  # noqa: BLE001
            print("  skipped %s: %s" % (fname, e))

    # training_args.bin: the Trainer does torch.save(self.args, "training_args.bin").
    with in_tempdir():
        args = TrainingArguments(output_dir="tiny-trainer-out", report_to=[], seed=SEED)
        args.device  # noqa: B018 - resolve the device like the Trainer does before saving
    fname = prefix + "training_args.bin"
    torch.save(args, os.path.join(out, fname))
    try:
        import accelerate  # TrainingArguments needs it for torch; its classes end up in the pickle
        VA = versions(transformers, torch, accelerate)
    except ImportError:
        VA = V
    record(out, fname, "torch.save(TrainingArguments(...)) as Trainer writes training_args.bin", VA)


# --------------------------------------------------------------------------- numpy

def numpy_payload(np):
    """A dict of numpy values of many kinds (used by pickle.dump at each protocol)."""
    return {
        "f32": np.arange(6, dtype=np.float32).reshape(2, 3),
        "f64_fortran": np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3)),
        "i64": np.arange(5, dtype=np.int64),
        "bool": np.array([True, False]),
        "c128": np.array([1 + 2j]),
        "unicode": np.array(["ab", "cde"]),
        "bytes": np.array([b"x", b"yz"]),
        "datetime": np.array(["2024-01-01", "2024-06-30"], dtype="datetime64[D]"),
        "timedelta": np.array([1, 2], dtype="timedelta64[s]"),
        "structured": np.array([(1, 2.0)], dtype=[("a", "<i4"), ("b", "<f8")]),
        "big_endian": np.arange(3, dtype=">i4"),
        "scalar_f64": np.float64(1.5),
        "scalar_i32": np.int32(-3),
        "scalar_bool": np.bool_(True),
        "dtype": np.dtype("float16"),
        "masked": np.ma.masked_array([1, 2, 3], mask=[0, 1, 0]),
    }


def gen_numpy(out):
    import numpy as np

    V = versions(np)
    seed_everything()

    np.save(os.path.join(out, "numpy_array_numeric.npy"), np.arange(12, dtype=np.float32).reshape(3, 4))
    record(out, "numpy_array_numeric.npy", "np.save(float32 array) -- plain .npy, no pickle", V)

    obj = np.empty(3, dtype=object)
    obj[:] = [{"a": 1}, [1, 2], "text"]
    np.save(os.path.join(out, "numpy_array_object.npy"), obj, allow_pickle=True)
    record(out, "numpy_array_object.npy", "np.save(object array, allow_pickle=True) -- .npy header + pickle", V)

    np.savez(os.path.join(out, "numpy_savez.npz"), a=np.arange(4), b=np.eye(2))
    record(out, "numpy_savez.npz", "np.savez(a=int array, b=float array) -- zip of plain .npy", V)

    np.savez_compressed(os.path.join(out, "numpy_savez_compressed_object.npz"), a=np.arange(4), obj=obj)
    record(out, "numpy_savez_compressed_object.npz", "np.savez_compressed(a=int array, obj=object array) -- deflated zip, one pickled member", V)

    payload = numpy_payload(np)
    for proto in range(0, pickle.HIGHEST_PROTOCOL + 1):
        fname = "numpy_pickle_protocol%d.pkl" % proto
        with open(os.path.join(out, fname), "wb") as f:
            pickle.dump(payload, f, protocol=proto)
        record(out, fname, "pickle.dump(dict of numpy arrays/scalars/dtype/masked array, protocol=%d)" % proto, V)


# ------------------------------------------------------------------------- sklearn

def sklearn_models():
    """Small fitted estimators, keyed by a short name used in file names."""
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.datasets import make_classification
    from sklearn.ensemble import GradientBoostingClassifier, HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    X, y = make_classification(n_samples=60, n_features=5, n_informative=3, random_state=SEED)
    docs = ["the cat sat", "the dog ran", "a cat and a dog", "birds fly high"]
    return {
        "logreg": LogisticRegression(max_iter=200).fit(X, y),
        "random_forest": RandomForestClassifier(n_estimators=3, max_depth=3, random_state=SEED).fit(X, y),
        # random_state given as a RandomState object -> numpy.random._pickle ctor globals
        "random_forest_randomstate": RandomForestClassifier(n_estimators=2, max_depth=2,
                                                            random_state=np.random.RandomState(SEED)).fit(X, y),
        "pipeline_scaler_svc": Pipeline([("scale", StandardScaler()), ("svc", SVC())]).fit(X, y),
        "kmeans": KMeans(n_clusters=3, n_init=1, random_state=SEED).fit(X),
        "tfidf": TfidfVectorizer().fit(docs),
        "gradient_boosting": GradientBoostingClassifier(n_estimators=5, max_depth=2, random_state=SEED).fit(X, y),
        "hist_gradient_boosting": HistGradientBoostingClassifier(max_iter=5, random_state=SEED).fit(X, y),
    }


def gen_sklearn(out):
    import numpy as np
    import sklearn

    V = versions(sklearn, np)
    seed_everything()
    models = sklearn_models()
    for key, model in models.items():
        for proto in (4, 5):
            fname = "sklearn_%s_pickle_p%d.pkl" % (key, proto)
            with open(os.path.join(out, fname), "wb") as f:
                pickle.dump(model, f, protocol=proto)
            record(out, fname, "pickle.dump(fitted %s, protocol=%d)" % (type(model).__name__, proto), V)


# -------------------------------------------------------------------------- joblib

def gen_joblib(out):
    import joblib
    import numpy as np
    import sklearn

    V = versions(joblib, sklearn, np)
    seed_everything()
    models = sklearn_models()

    # Plain joblib.dump of every estimator: ndarrays are written raw into the stream
    # right after a joblib.numpy_pickle.NumpyArrayWrapper (not valid plain pickle).
    for key, model in models.items():
        fname = "sklearn_%s_joblib.joblib" % key
        joblib.dump(model, os.path.join(out, fname))
        record(out, fname, "joblib.dump(fitted %s)" % type(model).__name__, V)

    # Compressed variants (whole stream compressed by joblib's own file wrappers).
    model = models["pipeline_scaler_svc"]
    for comp, ext in ((3, "z3"), (("gzip", 3), "gz"), (("bz2", 3), "bz2"), (("xz", 3), "xz"), (("lzma", 3), "lzma")):
        fname = "sklearn_pipeline_joblib_compress_%s.joblib" % ext
        joblib.dump(model, os.path.join(out, fname), compress=comp)
        record(out, fname, "joblib.dump(Pipeline(StandardScaler, SVC), compress=%r)" % (comp,), V)

    # A dict holding a large-ish float array (stored raw, 64-byte aligned), an object
    # array (pickled inline with protocol 5 inside the joblib stream) and other arrays.
    obj = np.empty(2, dtype=object)
    obj[:] = ["x", {"k": 1}]
    data = {
        "big_f32": np.random.RandomState(SEED).rand(20000).astype(np.float32),
        "ints": np.arange(100, dtype=np.int64),
        "fortran": np.asfortranarray(np.arange(12.0).reshape(3, 4)),
        "structured": np.array([(1, 2.0)], dtype=[("a", "<i4"), ("b", "<f8")]),
        "object": obj,
        "text": "meta",
    }
    joblib.dump(data, os.path.join(out, "joblib_arrays_dict.joblib"))
    record(out, "joblib_arrays_dict.joblib", "joblib.dump(dict: 80 KB float32 array, int/fortran/structured/object arrays)", V)
    joblib.dump(data, os.path.join(out, "joblib_arrays_dict_compress3.joblib"), compress=3)
    record(out, "joblib_arrays_dict_compress3.joblib", "same dict, joblib.dump(compress=3) (zlib)", V)
    joblib.dump(np.arange(1000, dtype=np.float64), os.path.join(out, "joblib_single_array.joblib"))
    record(out, "joblib_single_array.joblib", "joblib.dump(a single float64 ndarray)", V)


# -------------------------------------------------------------------------- pandas

def gen_pandas(out):
    import numpy as np
    import pandas as pd

    V = versions(pd, np)
    seed_everything()
    df = pd.DataFrame({
        "i": np.arange(5, dtype=np.int64),
        "f": np.linspace(0, 1, 5),
        "s": ["a", "b", "c", "d", "e"],
        "cat": pd.Categorical(["x", "y", "x", "y", "x"]),
        "ts": pd.date_range("2024-01-01", periods=5, freq="D"),
        "tz": pd.date_range("2024-01-01", periods=5, freq="h", tz="UTC"),
        "b": [True, False, True, False, True],
        "nullable": pd.array([1, None, 3, 4, 5], dtype="Int64"),
    })
    df.to_pickle(os.path.join(out, "pandas_dataframe.pkl"))
    record(out, "pandas_dataframe.pkl", "DataFrame.to_pickle() (int/float/str/category/datetime/tz-aware/bool/Int64 columns)", V)

    # A non-UTC time zone is a zoneinfo.ZoneInfo, which pickles as
    # builtins.getattr(zoneinfo.ZoneInfo, "_unpickle")(key, ...): getattr in a benign file.
    tzdf = pd.DataFrame({"t": pd.date_range("2024-01-01", periods=3, freq="D", tz="Europe/Berlin")})
    tzdf.to_pickle(os.path.join(out, "pandas_dataframe_tz_zoneinfo.pkl"))
    record(out, "pandas_dataframe_tz_zoneinfo.pkl", "DataFrame.to_pickle() with a Europe/Berlin (zoneinfo) datetime column -- uses builtins.getattr", V)

    s = pd.Series([1.0, 2.0, 3.0], index=pd.Index(["a", "b", "c"], name="key"), name="vals")
    s.to_pickle(os.path.join(out, "pandas_series.pkl"))
    record(out, "pandas_series.pkl", "Series.to_pickle() with a named string index", V)

    mi = pd.DataFrame({"v": [1, 2, 3, 4]}, index=pd.MultiIndex.from_product([["a", "b"], [1, 2]], names=["k1", "k2"]))
    with open(os.path.join(out, "pandas_multiindex_pickle_p4.pkl"), "wb") as f:
        pickle.dump(mi, f, protocol=4)
    record(out, "pandas_multiindex_pickle_p4.pkl", "pickle.dump(DataFrame with MultiIndex, protocol=4)", V)


# ------------------------------------------------------------------------- README

README_HEAD = """# Benign fixtures

Real files written by the libraries' own save functions (see
`scripts/gen_benign_fixtures.py`, fixed seeds, tiny model dimensions). They are
benign: vouch must not flag them as malicious. `GLOBALS.tsv` lists every pickle
global they reference (made by `scripts/list_globals.py`).

transformers 5 no longer writes pytorch_model.bin (save_pretrained is
safetensors-only), so the `*_pytorch_model.bin` files come from transformers 4.x.

One line per file: `name` -- what produced it (library versions).

"""


def write_readme(out):
    path = os.path.join(out, "README.md")
    entries = {}
    # Keep lines of files generated by an earlier run (e.g. the transformers 4 pass).
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            m = re.match(r"- `([^`]+)` -- ", line)
            if m and os.path.exists(os.path.join(out, m.group(1))):
                entries[m.group(1)] = line.rstrip("\n")
    for name, (desc, vers) in MANIFEST.items():
        entries[name] = "- `%s` -- %s (%s)" % (name, desc, vers)
    with open(path, "w", encoding="utf-8") as f:
        f.write(README_HEAD)
        for name in sorted(entries):
            f.write(entries[name] + "\n")


SECTIONS = {
    "torch": gen_torch,
    "transformers": gen_transformers,
    "numpy": gen_numpy,
    "sklearn": gen_sklearn,
    "joblib": gen_joblib,
    "pandas": gen_pandas,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    ap.add_argument("--only", nargs="+", choices=sorted(SECTIONS), help="run only these sections")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    out = os.path.abspath(args.out)
    for name in args.only or SECTIONS:
        print("[%s]" % name)
        try:
            SECTIONS[name](out)
        except ImportError as e:
            print("  skipped section %s: %s" % (name, e))
    write_readme(out)
    total = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    print("total size of %s: %d bytes" % (out, total))


if __name__ == "__main__":
    main()
