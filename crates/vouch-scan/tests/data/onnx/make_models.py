"""Writes the ONNX fixtures with the real onnx library (onnx.helper), as exporters produce them.

benign.onnx            Gemm + Relu, an If with two subgraphs, a model-local function, metadata
benign_external.onnx   its weight saved as external data next to it (benign_external.onnx.data)
traversal_relative.onnx  initializer whose external data location is ../../etc/passwd
traversal_absolute.onnx  initializer whose external data location is /etc/shadow
custom_domain.onnx     a node from an operator domain no standard runtime implements
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.external_data_helper import set_external_data


def base_graph(name):
    w = numpy_helper.from_array(np.arange(12, dtype=np.float32).reshape(4, 3), "W")
    b = numpy_helper.from_array(np.zeros(3, dtype=np.float32), "B")
    nodes = [
        helper.make_node("Gemm", ["X", "W", "B"], ["Y0"], name="gemm"),
        helper.make_node("Relu", ["Y0"], ["Y"], name="relu"),
    ]
    return helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 3])],
        [w, b],
    )


def model(graph, **kw):
    m = helper.make_model(graph, producer_name="vouch-fixtures", opset_imports=[helper.make_opsetid("", 17)], **kw)
    m.ir_version = 8
    return m


def benign():
    g = base_graph("benign")
    then_g = helper.make_graph(
        [helper.make_node("Constant", [], ["t"], value=numpy_helper.from_array(np.ones(3, dtype=np.float32)))],
        "then", [], [helper.make_tensor_value_info("t", TensorProto.FLOAT, [3])])
    else_g = helper.make_graph(
        [helper.make_node("Identity", ["B"], ["e"])],
        "else", [], [helper.make_tensor_value_info("e", TensorProto.FLOAT, [3])])
    g.node.extend([
        helper.make_node("ReduceSum", ["Y"], ["s"], keepdims=0),
        helper.make_node("Greater", ["s", "zero"], ["c"]),
        helper.make_node("If", ["c"], ["branch"], then_branch=then_g, else_branch=else_g),
        helper.make_node("Double", ["branch"], ["doubled"], domain="local.fixtures"),
    ])
    g.initializer.append(numpy_helper.from_array(np.array(0, dtype=np.float32), "zero"))
    g.output.append(helper.make_tensor_value_info("doubled", TensorProto.FLOAT, [3]))
    fn = helper.make_function(
        "local.fixtures", "Double", ["x"], ["y"],
        [helper.make_node("Add", ["x", "x"], ["y"])],
        [helper.make_opsetid("", 17)])
    m = model(g, functions=[fn])
    m.opset_import.append(helper.make_opsetid("local.fixtures", 1))
    helper.set_model_props(m, {"author": "vouch", "license": "apache-2.0"})
    onnx.checker.check_model(m)
    onnx.save(m, "benign.onnx")


def benign_external():
    m = model(base_graph("benign_external"))
    onnx.save_model(m, "benign_external.onnx", save_as_external_data=True, all_tensors_to_one_file=True,
                    location="benign_external.onnx.data", size_threshold=0)


def traversal(path, location):
    m = model(base_graph("traversal"))
    w = m.graph.initializer[0]
    set_external_data(w, location=location, offset=0, length=48)
    w.data_location = TensorProto.EXTERNAL
    w.ClearField("raw_data")
    with open(path, "wb") as f:
        f.write(m.SerializeToString())


def custom_domain():
    g = base_graph("custom")
    g.node.append(helper.make_node("RunShell", ["Y"], ["Z"], domain="com.example.evil", name="shell"))
    g.output.append(helper.make_tensor_value_info("Z", TensorProto.FLOAT, [1, 3]))
    m = model(g)
    m.opset_import.append(helper.make_opsetid("com.example.evil", 1))
    onnx.save(m, "custom_domain.onnx")


benign()
benign_external()
traversal("traversal_relative.onnx", "../../etc/passwd")
traversal("traversal_absolute.onnx", "/etc/shadow")
custom_domain()
