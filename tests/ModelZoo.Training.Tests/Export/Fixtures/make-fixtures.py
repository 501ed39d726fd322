#!/usr/bin/python3
# Writes the two tiny "backbones" the exporter tests use to check in-graph preprocessing. Each returns its whole
# input tensor, flattened, as the feature vector, so the features show exactly what the exporter fed the backbone.
#   flatten-nhwc-float.onnx  input image float32 [batch,6,8,3] (NHWC)  -> Flatten -> flat [batch,144]
#   flatten-nchw-uint8.onnx  input image uint8   [batch,3,6,8] (NCHW)  -> Cast(float) -> Flatten -> flat [batch,144]
# Run with Debian's python3-onnx: /usr/bin/python3 make-fixtures.py
import os
from onnx import TensorProto, helper, checker, save

here = os.path.dirname(os.path.abspath(__file__))


def write(name, graph):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="ModelZoo.Training.Tests")
    model.ir_version = 8
    checker.check_model(model)
    save(model, os.path.join(here, name))


write("flatten-nhwc-float.onnx", helper.make_graph(
    [helper.make_node("Flatten", ["image"], ["flat"], name="flatten", axis=1)],
    "flatten_nhwc_float",
    [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["batch", 6, 8, 3])],
    [helper.make_tensor_value_info("flat", TensorProto.FLOAT, ["batch", 144])]))

write("flatten-nchw-uint8.onnx", helper.make_graph(
    [helper.make_node("Cast", ["image"], ["as_float"], name="cast", to=TensorProto.FLOAT),
     helper.make_node("Flatten", ["as_float"], ["flat"], name="flatten", axis=1)],
    "flatten_nchw_uint8",
    [helper.make_tensor_value_info("image", TensorProto.UINT8, ["batch", 3, 6, 8])],
    [helper.make_tensor_value_info("flat", TensorProto.FLOAT, ["batch", 144])]))
