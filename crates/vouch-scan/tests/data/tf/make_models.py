"""Writes the TensorFlow fixtures with real TensorFlow (2.21, CPU), then keeps only each
SavedModel's saved_model.pb (variables/ and assets/ are not read by the analyser).

benign_module.pb   tf.Module: a variable and a tf.function (saver functions use SaveV2/RestoreV2)
benign_keras.pb    Keras Dense model saved with tf.saved_model.save
benign_v1.pb       TF1 graph + Saver + a vocabulary asset (InitializeTableFromTextFileV2)
benign_table.pb    TF2 tf.Module with a StaticHashTable read from a vocabulary asset
benign_frozen.pb   frozen GraphDef of a concrete function (variables folded into Consts)
malicious_pyfunc.pb  tf.py_function (EagerPyFunc) and tf.numpy_function (PyFunc) in a tf.function
malicious_fileio.pb  tf.io.read_file / tf.io.write_file of absolute paths, tf.print to a file
"""
import os
import shutil
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf  # noqa: E402
from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2  # noqa: E402

OUT = os.path.dirname(os.path.abspath(__file__))
WORK = sys.argv[1] if len(sys.argv) > 1 else "/tmp/tfgen"


def keep(name, path):
    shutil.copy(os.path.join(path, "saved_model.pb"), os.path.join(OUT, name))


class Scale(tf.Module):
    def __init__(self):
        self.w = tf.Variable(tf.ones([4]), name="w")

    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
    def __call__(self, x):
        return x * self.w


def benign_module():
    p = os.path.join(WORK, "module")
    tf.saved_model.save(Scale(), p)
    keep("benign_module.pb", p)
    return Scale()


def benign_keras():
    model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(2, activation="relu")])
    p = os.path.join(WORK, "keras")
    tf.saved_model.save(model, p)
    keep("benign_keras.pb", p)


def benign_v1():
    vocab = os.path.join(WORK, "vocab.txt")
    with open(vocab, "w") as f:
        f.write("a\nb\nc\n")
    p = os.path.join(WORK, "v1")
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.string, [None], name="x")
        asset = tf.constant(vocab, name="vocab_path")
        tf.compat.v1.add_to_collection(tf.compat.v1.GraphKeys.ASSET_FILEPATHS, asset)
        table = tf.compat.v1.lookup.StaticHashTable(
            tf.compat.v1.lookup.TextFileInitializer(asset, tf.string, -2, tf.int64, -1), -1)
        v = tf.compat.v1.get_variable("v", [1], tf.int64, initializer=tf.compat.v1.zeros_initializer())
        y = tf.identity(table.lookup(x) + v, name="y")
        with tf.compat.v1.Session() as s:
            s.run([tf.compat.v1.global_variables_initializer(), tf.compat.v1.tables_initializer()])
            b = tf.compat.v1.saved_model.Builder(p)
            sig = tf.compat.v1.saved_model.predict_signature_def({"x": x}, {"y": y})
            b.add_meta_graph_and_variables(
                s, ["serve"], signature_def_map={"serving_default": sig},
                assets_collection=tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.ASSET_FILEPATHS),
                main_op=tf.compat.v1.tables_initializer())
            b.save()
    keep("benign_v1.pb", p)


class Table(tf.Module):
    def __init__(self, vocab):
        init = tf.lookup.TextFileInitializer(
            vocab, tf.string, tf.lookup.TextFileIndex.WHOLE_LINE, tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER)
        self.table = tf.lookup.StaticHashTable(init, -1)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def __call__(self, x):
        return self.table.lookup(x)


def benign_table():
    vocab = os.path.join(WORK, "vocab2.txt")
    with open(vocab, "w") as f:
        f.write("a\nb\nc\n")
    p = os.path.join(WORK, "table")
    tf.saved_model.save(Table(vocab), p)
    keep("benign_table.pb", p)


def benign_frozen(module):
    frozen = convert_variables_to_constants_v2(module.__call__.get_concrete_function())
    with open(os.path.join(OUT, "benign_frozen.pb"), "wb") as f:
        f.write(frozen.graph.as_graph_def().SerializeToString())


class PyFuncs(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def __call__(self, x):
        y = tf.py_function(lambda t: t * 2, [x], tf.float32)
        z = tf.numpy_function(lambda t: t + 1, [x], tf.float32)
        return y + z


class FileIO(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([], tf.string)])
    def __call__(self, data):
        secret = tf.io.read_file("/etc/passwd")
        tf.io.write_file("/tmp/../etc/cron.d/vouch", data)
        tf.print(secret, output_stream="file:///tmp/exfil.txt")
        return secret


def malicious():
    for cls, name in [(PyFuncs, "malicious_pyfunc"), (FileIO, "malicious_fileio")]:
        p = os.path.join(WORK, name)
        tf.saved_model.save(cls(), p)
        keep(name + ".pb", p)


os.makedirs(WORK, exist_ok=True)
m = benign_module()
benign_keras()
benign_v1()
benign_table()
benign_frozen(m)
malicious()
