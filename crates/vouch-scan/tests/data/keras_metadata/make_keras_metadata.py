#!/usr/bin/env python3
"""Writes keras_metadata.pb files with tf-keras (Keras 2 SavedModel format): a benign Dense
model and one with a Lambda layer. Only the keras_metadata.pb files are kept."""
import os, shutil, tempfile
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tf_keras as keras

def save(model, name):
    d = tempfile.mkdtemp()
    model.save(d, save_format="tf")
    shutil.copy(os.path.join(d, "keras_metadata.pb"), name)
    shutil.rmtree(d)

keras.utils.set_random_seed(0)
inp = keras.Input((4,))
save(keras.Model(inp, keras.layers.Dense(2)(inp)), "benign_dense.keras_metadata.pb")
inp = keras.Input((4,))
save(keras.Model(inp, keras.layers.Lambda(lambda x: x * 2, name="times_two")(inp)), "lambda.keras_metadata.pb")
