"""Side-by-side onnxruntime timing without torch: builds the all-MiniLM-L6-v2 graph (BertModel +
mean pooling + L2 norm, opset 17) directly from model.safetensors with onnx.helper, checks it
against the parity fixture, then times session.run like minilm_anchors.py (median of 50 after 5).

Needs onnxruntime, onnx and numpy (a venv: `python3 -m venv /tmp/ortvenv && /tmp/ortvenv/bin/pip
install onnxruntime onnx numpy`) and scripts/minilm_reference.py beside it. Run single-threaded as
`OMP_NUM_THREADS=1 python scripts/ort_anchor.py` (BENCH_THREADS=2 for two intra-op threads);
ORT_ANCHOR_DIR (default /tmp/ort) receives the .onnx file."""
import json, os, statistics, sys, time
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
import onnxruntime as ort
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from minilm_reference import Tokenizer, load_safetensors, MODEL_DIR

w = load_safetensors(os.path.join(MODEL_DIR, "model.safetensors"))
nodes, inits = [], []
def init(name, arr):
    inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name)); return name
def node(op, ins, outs=None, **kw):
    outs = outs or [f"{op}_{len(nodes)}"]; nodes.append(helper.make_node(op, ins, outs, **kw)); return outs[0]
def linear(x, prefix):
    return node("Add", [node("MatMul", [x, init(prefix + ".wT", w[prefix + ".weight"].T)]), init(prefix + ".b", w[prefix + ".bias"])])
def ln(x, prefix):
    return node("LayerNormalization", [x, init(prefix + ".g", w[prefix + ".weight"]), init(prefix + ".be", w[prefix + ".bias"])], axis=-1, epsilon=1e-12)
ids = "input_ids"
T = node("Gather", [node("Shape", [ids]), init("one_idx", np.array([1], np.int64))], axis=0)
pos = node("Slice", [init("pos", w["embeddings.position_embeddings.weight"]), init("zero1", np.array([0], np.int64)), T, init("zero1b", np.array([0], np.int64))])
x = node("Add", [node("Add", [node("Gather", [init("word", w["embeddings.word_embeddings.weight"]), ids], axis=0), pos]), init("type0", w["embeddings.token_type_embeddings.weight"][0])])
x = ln(x, "embeddings.LayerNorm")
heads_shape = init("heads_shape", np.array([1, -1, 12, 32], np.int64)); flat_shape = init("flat_shape", np.array([1, -1, 384], np.int64))
scale = init("scale", np.array(1 / np.sqrt(32), np.float32)); sqrt2 = init("sqrt2", np.array(np.sqrt(2), np.float32))
onef = init("onef", np.array(1, np.float32)); half = init("half", np.array(0.5, np.float32))
for l in range(6):
    p = f"encoder.layer.{l}."
    q = node("Transpose", [node("Reshape", [linear(x, p + "attention.self.query"), heads_shape])], perm=[0, 2, 1, 3])
    k = node("Transpose", [node("Reshape", [linear(x, p + "attention.self.key"), heads_shape])], perm=[0, 2, 3, 1])
    v = node("Transpose", [node("Reshape", [linear(x, p + "attention.self.value"), heads_shape])], perm=[0, 2, 1, 3])
    s = node("Softmax", [node("Mul", [node("MatMul", [q, k]), scale])], axis=-1)
    ctx = node("Reshape", [node("Transpose", [node("MatMul", [s, v])], perm=[0, 2, 1, 3]), flat_shape])
    x = ln(node("Add", [linear(ctx, p + "attention.output.dense"), x]), p + "attention.output.LayerNorm")
    h = linear(x, p + "intermediate.dense")
    h = node("Mul", [node("Mul", [h, node("Add", [node("Erf", [node("Div", [h, sqrt2])]), onef])]), half])
    x = ln(node("Add", [linear(h, p + "output.dense"), x]), p + "output.LayerNorm")
m = node("ReduceMean", [x], axes=[1], keepdims=0)
out = node("Div", [m, node("ReduceL2", [m], axes=[1], keepdims=1)], ["sentence_embedding"])
graph = helper.make_graph(nodes, "minilm", [helper.make_tensor_value_info(ids, TensorProto.INT64, [1, "t"])],
                          [helper.make_tensor_value_info(out, TensorProto.FLOAT, [1, 384])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]); model.ir_version = 8
OUT = os.environ.get("ORT_ANCHOR_DIR", "/tmp/ort"); os.makedirs(OUT, exist_ok=True)
ONNX_PATH = os.path.join(OUT, "minilm-handbuilt.onnx")
onnx.save(model, ONNX_PATH)

NT = int(os.environ.get("BENCH_THREADS", "1"))
so = ort.SessionOptions(); so.intra_op_num_threads = NT; so.inter_op_num_threads = 1
so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
sess = ort.InferenceSession(ONNX_PATH, so, providers=["CPUExecutionProvider"])
tok = Tokenizer()
rows = [json.loads(l) for l in open(os.path.join(HERE, "../Tests/HeimdallEmbeddingTests/Resources/minilm-reference.jsonl"), encoding="utf-8")]
worst = 0.0
for r in rows:
    e = sess.run(None, {ids: np.array([r["input_ids"]], np.int64)})[0][0]
    worst = max(worst, float(np.abs(e - np.array(r["embedding"], np.float32)).max()))
print(f"hand-built ONNX vs fixture: max |diff| {worst:.2e} over {len(rows)} rows")
S12 = "What is the capital city of France and Germany?"
S128 = " ".join(next(r for r in rows if r["id"] == "q38")["text"].split()[:91])
def median_ms(f, n=50, warm=5):
    for _ in range(warm): f()
    ts = []
    for _ in range(n):
        t0 = time.perf_counter(); f(); ts.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ts), min(ts)
print(f"threads={NT} onnxruntime={ort.__version__}")
for name, s in (("12 ids", S12), ("128 ids", S128)):
    a = np.array([tok.encode(s)], np.int64); assert a.shape[1] == int(name.split()[0])
    med, best = median_ms(lambda: sess.run(None, {ids: a}))
    print(f"{name}: onnxruntime run median {med:.3f} ms (min {best:.3f})")
