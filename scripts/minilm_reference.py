"""Pure-numpy reference of all-MiniLM-L6-v2: tokenizer + forward + mean pooling + L2 norm.

Generated Tests/HeimdallEmbeddingTests/Resources/minilm-reference.jsonl and matches sentence-transformers
6.2.0 (torch 2.15 CPU) to max |diff| 2.4e-7. Needs numpy only (scipy.special.erf if present).
Usage: MINILM_DIR=~/.cache/heimdall/models/all-MiniLM-L6-v2 python3 minilm_reference.py "text" ...
"""
import json
import os
import re
import struct
import unicodedata

import numpy as np

MODEL_DIR = os.environ.get(
    "MINILM_DIR", os.path.expanduser("~/.cache/heimdall/models/all-MiniLM-L6-v2"))

# ----------------------------------------------------------------------------------
# safetensors
# ----------------------------------------------------------------------------------
_DT = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}


def load_safetensors(path):
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack("<Q", buf[:8])          # u64 little-endian header length
    header = json.loads(buf[8:8 + n].decode("utf-8"))
    base = 8 + n                                 # data_offsets are relative to here
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        arr = np.frombuffer(buf, dtype=_DT[info["dtype"]], count=(e - b) // np.dtype(_DT[info["dtype"]]).itemsize,
                            offset=base + b).reshape(info["shape"])
        out[name] = arr
    return out


# ----------------------------------------------------------------------------------
# BERT uncased WordPiece tokenizer with the semantics of the Rust `tokenizers` pipeline that
# sentence-transformers runs (BertNormalizer + BertPreTokenizer + WordPiece, tokenizer.json).
# ----------------------------------------------------------------------------------
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]          # matched verbatim, case-sensitive
_SPECIAL_RE = re.compile("(" + "|".join(re.escape(s) for s in SPECIAL) + ")")
WHITE_SPACE = set("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                  "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")  # Unicode White_Space


def _is_cjk(cp):
    return ((0x4E00 <= cp <= 0x9FFF) or (0x3400 <= cp <= 0x4DBF) or (0x20000 <= cp <= 0x2A6DF)
            or (0x2A700 <= cp <= 0x2B73F) or (0x2B740 <= cp <= 0x2B81F) or (0x2B820 <= cp <= 0x2CEAF)
            or (0xF900 <= cp <= 0xFAFF) or (0x2F800 <= cp <= 0x2FA1F))


def _is_punctuation(ch):
    cp = ord(ch)
    if (33 <= cp <= 47) or (58 <= cp <= 64) or (91 <= cp <= 96) or (123 <= cp <= 126):
        return True
    return unicodedata.category(ch).startswith("P")


def normalize(text):
    out = []
    for ch in text:                                           # 1. clean text
        if ord(ch) in (0, 0xFFFD):
            continue
        if ch not in "\t\n\r" and unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs"):
            continue                                          # NB: unassigned (Cn) is kept
        out.append(" " if ch in WHITE_SPACE else ch)
    s = "".join((" " + c + " ") if _is_cjk(ord(c)) else c for c in out)   # 2. CJK spacing
    s = "".join(c for c in unicodedata.normalize("NFD", s)   # 3. strip accents
                if unicodedata.category(c) != "Mn")
    return "".join(c.lower() for c in s)                      # 4. per-code-point lowercase


def pre_tokenize(s):
    words, cur = [], []
    for ch in s:
        if ch in WHITE_SPACE or ch.isspace():
            if cur:
                words.append("".join(cur)); cur = []
        elif _is_punctuation(ch):
            if cur:
                words.append("".join(cur)); cur = []
            words.append(ch)
        else:
            cur.append(ch)
    if cur:
        words.append("".join(cur))
    return words


class Tokenizer:
    def __init__(self, vocab_path=os.path.join(MODEL_DIR, "vocab.txt")):
        with open(vocab_path, encoding="utf-8") as f:
            self.vocab = {line.rstrip("\n"): i for i, line in enumerate(f)}
        self.unk, self.cls, self.sep = self.vocab["[UNK]"], self.vocab["[CLS]"], self.vocab["[SEP]"]  # 100 101 102

    def wordpiece(self, word, max_chars=100):
        if len(word) > max_chars:                             # counted in code points
            return [self.unk]
        ids, start = [], 0
        while start < len(word):
            end, cur = len(word), None
            while start < end:                                # greedy longest match first
                sub = word[start:end] if start == 0 else "##" + word[start:end]
                if sub in self.vocab:
                    cur = self.vocab[sub]
                    break
                end -= 1
            if cur is None:                                   # one unmatchable piece -> whole word [UNK]
                return [self.unk]
            ids.append(cur)
            start = end
        return ids

    def encode(self, text, max_len=256):
        ids = []
        for seg in _SPECIAL_RE.split(text.strip()):
            if seg in SPECIAL:
                ids.append(self.vocab[seg])
                continue
            for w in pre_tokenize(normalize(seg)):
                ids.extend(self.wordpiece(w))
        return [self.cls] + ids[: max_len - 2] + [self.sep]   # 254 pieces max + [CLS]/[SEP]


# ----------------------------------------------------------------------------------
# forward
# ----------------------------------------------------------------------------------
def erf(x):
    """float64 erf, |err| < 1.2e-7 relative (Numerical Recipes erfc Chebyshev)."""
    x = np.asarray(x, dtype=np.float64)
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    r = t * np.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277)))))))))
    return np.where(x >= 0, 1.0 - r, r - 1.0)


try:
    from scipy.special import erf as _erf  # exact; preferred when available
except Exception:  # pragma: no cover
    _erf = erf


def gelu(x):
    return (0.5 * x * (1.0 + _erf(x / np.sqrt(2.0)))).astype(np.float32)


def layer_norm(x, g, b, eps=1e-12):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)      # biased variance
    return (x - mu) / np.sqrt(var + eps) * g + b


class MiniLM:
    L, H, NH, HD = 6, 384, 12, 32

    def __init__(self, path=os.path.join(MODEL_DIR, "model.safetensors")):
        self.w = load_safetensors(path)

    def linear(self, x, name):
        # PyTorch nn.Linear layout: weight is [out, in]; y = x @ W^T + b
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def hidden(self, ids, mask=None):
        """ids: [B,T] int; mask: [B,T] 0/1. returns last hidden state [B,T,384] float32."""
        w = self.w
        ids = np.asarray(ids)
        B, T = ids.shape
        if mask is None:
            mask = np.ones((B, T), np.float32)
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][np.arange(T)][None]
             + w["embeddings.token_type_embeddings.weight"][0][None, None])
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        # additive mask: 0 for real tokens, large negative for padding
        add = ((1.0 - mask.astype(np.float32)) * np.finfo(np.float32).min)[:, None, None, :]
        for l in range(self.L):
            p = f"encoder.layer.{l}."
            q = self.linear(x, p + "attention.self.query").reshape(B, T, self.NH, self.HD).transpose(0, 2, 1, 3)
            k = self.linear(x, p + "attention.self.key").reshape(B, T, self.NH, self.HD).transpose(0, 2, 1, 3)
            v = self.linear(x, p + "attention.self.value").reshape(B, T, self.NH, self.HD).transpose(0, 2, 1, 3)
            s = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(self.HD)) + add    # [B,12,T,T]
            s = s - s.max(-1, keepdims=True)
            pr = np.exp(s)
            pr = pr / pr.sum(-1, keepdims=True)
            ctx = (pr @ v).transpose(0, 2, 1, 3).reshape(B, T, self.H)              # heads concatenated
            a = self.linear(ctx, p + "attention.output.dense")
            x = layer_norm(a + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            h = gelu(self.linear(x, p + "intermediate.dense"))
            o = self.linear(h, p + "output.dense")
            x = layer_norm(o + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        return x.astype(np.float32)

    def embed_ids(self, ids):
        x = self.hidden(np.asarray([ids]))[0]
        v = x.mean(0)                                   # mean over tokens (mask all ones)
        return v / max(np.linalg.norm(v), 1e-12)

    def embed_batch(self, id_lists):
        T = max(len(i) for i in id_lists)
        ids = np.zeros((len(id_lists), T), np.int64)    # pad id 0 = [PAD]
        mask = np.zeros((len(id_lists), T), np.float32)
        for r, i in enumerate(id_lists):
            ids[r, :len(i)] = i
            mask[r, :len(i)] = 1
        x = self.hidden(ids, mask)
        s = (x * mask[..., None]).sum(1) / np.clip(mask.sum(1, keepdims=True), 1e-9, None)
        return s / np.clip(np.linalg.norm(s, axis=1, keepdims=True), 1e-12, None)


if __name__ == "__main__":
    import sys
    tok, m = Tokenizer(), MiniLM()
    for t in sys.argv[1:] or ["Hello world!"]:
        ids = tok.encode(t)
        e = m.embed_ids(ids)
        print(t, ids, e[:5])
