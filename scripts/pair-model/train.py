#!/usr/bin/env python3
"""Heimdall pair verifier: train, calibrate and export a MiniLM cross-encoder.

Decides whether a cached answer for prompt B may be served for a new prompt A. Two stages:
  1. bi-encoder cosine (all-MiniLM-L6-v2, mean pooled, L2 normalised) >= candidate floor;
  2. cross-encoder probability p(A, B) >= cutoff.
Everything is chosen on the TRAINING half of Heimdall's SeededSplit (seed 1, fraction 0.5) with
k-fold out-of-fold (OOF) probabilities; the held-out half is only scored at the end.

Usage (the shipped model):
  python scripts/pair-model/train.py --out .build/pair-verifier
Experiments (OOF only, no final model / export):
  python scripts/pair-model/train.py --out /tmp/x --oof-only --train-layers 2

Needs torch, transformers, safetensors, numpy (see requirements.txt). No network: the base model
is read from --base-dir (default ~/.cache/heimdall/models/all-MiniLM-L6-v2).
"""
import argparse
import hashlib
import json
import math
import os
import random
import re
import shlex
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import torch
from safetensors.torch import save_file, load_file
from transformers import AutoModel, BertForSequenceClassification, BertTokenizerFast
from transformers.utils import logging as hf_logging

hf_logging.set_verbosity_error()

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BASE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
PREFIX = "user: "
MASK64 = 0xFFFFFFFFFFFFFFFF
T0 = time.time()


def log(*a):
    print(f"[{time.time() - T0:7.1f}s]", *a, flush=True)


# ----------------------------------------------------------------------------------------------
# Split: exactly Heimdall's SeededSplit (Sources/HeimdallCore/SeededSplit.swift)
# ----------------------------------------------------------------------------------------------
class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)


def seeded_split(count, train_fraction, seed):
    order = list(range(count))
    g = SplitMix64(seed)
    for i in range(count - 1, 0, -1):
        j = g.next() % (i + 1)
        order[i], order[j] = order[j], order[i]
    # Swift's Double.rounded() is schoolbook rounding (half away from zero), not banker's.
    train_count = min(count, max(0, int(math.floor(count * train_fraction + 0.5))))
    return sorted(order[:train_count]), sorted(order[train_count:])


def load_tokenizer(base_dir):
    """Uncased WordPiece from the base model's vocab.txt. (transformers 5 silently ignores
    BertTokenizerFast(vocab_file=...), so load from the directory and check a known encoding.)"""
    tok = BertTokenizerFast.from_pretrained(base_dir, do_lower_case=True)
    got = tok("How do I reset my password?")["input_ids"]
    assert got == [101, 2129, 2079, 1045, 25141, 2026, 20786, 1029, 102], got
    return tok


# ----------------------------------------------------------------------------------------------
# Tokenisation: each text alone (no specials), then [CLS] a [SEP] b [SEP] with explicit truncation
# ----------------------------------------------------------------------------------------------
class PairTokenizer:
    def __init__(self, base_dir, max_pair_tokens):
        self.tok = load_tokenizer(base_dir)
        self.cls = self.tok.cls_token_id
        self.sep = self.tok.sep_token_id
        self.max_pair = max_pair_tokens
        self.cache = {}

    def ids(self, text):
        r = self.cache.get(text)
        if r is None:
            r = self.tok(text, add_special_tokens=False)["input_ids"]
            self.cache[text] = r
        return r

    def warm(self, texts):
        todo = sorted(set(t for t in texts if t not in self.cache))
        for i in range(0, len(todo), 2048):
            chunk = todo[i:i + 2048]
            for t, ids in zip(chunk, self.tok(chunk, add_special_tokens=False)["input_ids"]):
                self.cache[t] = ids

    def pair(self, a, b):
        """Truncation rule (longest first, one token at a time): while len(a)+len(b) > max-3,
        drop the LAST token of the longer sequence; on a tie drop from b."""
        x, y = list(self.ids(a)), list(self.ids(b))
        budget = self.max_pair - 3
        nx, ny = len(x), len(y)
        while nx + ny > budget:
            if nx > ny:
                nx -= 1
            else:
                ny -= 1
        x, y = x[:nx], y[:ny]
        input_ids = [self.cls] + x + [self.sep] + y + [self.sep]
        types = [0] * (nx + 2) + [1] * (ny + 1)
        return input_ids, types


def collate(encoded):
    n = max(len(e[0]) for e in encoded)
    ids = torch.zeros((len(encoded), n), dtype=torch.long)
    tt = torch.zeros_like(ids)
    am = torch.zeros_like(ids)
    for i, (a, t) in enumerate(encoded):
        ids[i, :len(a)] = torch.tensor(a)
        tt[i, :len(t)] = torch.tensor(t)
        am[i, :len(a)] = 1
    return ids, tt, am


# ----------------------------------------------------------------------------------------------
# Stage 1: bi-encoder cosines (cached under .build)
# ----------------------------------------------------------------------------------------------
def cosines(rows, base_dir, cache_path):
    key = hashlib.sha256(json.dumps([[r["a"], r["b"]] for r in rows]).encode()).hexdigest()
    if os.path.exists(cache_path):
        d = np.load(cache_path)
        if str(d["key"]) == key:
            log("cosines: cached", cache_path)
            return d["cos"]
    texts = sorted(set(PREFIX + r[k] for r in rows for k in ("a", "b")))
    tok = load_tokenizer(base_dir)
    model = AutoModel.from_pretrained(base_dir).eval()
    texts_by_len = sorted(texts, key=lambda t: len(t))
    emb = {}
    with torch.inference_mode():
        for i in range(0, len(texts_by_len), 128):
            chunk = texts_by_len[i:i + 128]
            enc = tok(chunk, padding=True, truncation=True, max_length=256, return_tensors="pt")
            h = model(**enc).last_hidden_state
            m = enc["attention_mask"].unsqueeze(-1).float()
            v = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
            v = torch.nn.functional.normalize(v, p=2, dim=1)
            for t, e in zip(chunk, v.numpy()):
                emb[t] = e
    cos = np.array([float(np.dot(emb[PREFIX + r["a"]], emb[PREFIX + r["b"]])) for r in rows], dtype=np.float64)
    os.makedirs(os.path.dirname(cache_path), exist_ok=True)
    np.savez(cache_path, key=key, cos=cos)
    log(f"cosines: computed for {len(texts)} texts")
    return cos


# ----------------------------------------------------------------------------------------------
# Synthetic hard negatives (from training questions only)
# ----------------------------------------------------------------------------------------------
ANTONYMS = [("best", "worst"), ("before", "after"), ("good", "bad"), ("increase", "decrease"),
            ("buy", "sell"), ("cheap", "expensive"), ("first", "last"), ("more", "less"),
            ("male", "female"), ("men", "women"), ("positive", "negative"), ("pros", "cons"),
            ("advantages", "disadvantages"), ("start", "stop"), ("win", "lose"), ("love", "hate"),
            ("easy", "hard"), ("fast", "slow"), ("high", "low"), ("rich", "poor"), ("north", "south"),
            ("east", "west"), ("maximum", "minimum"), ("above", "below"), ("legal", "illegal"),
            ("possible", "impossible"), ("true", "false"), ("gain", "lose"), ("open", "close"),
            ("import", "export"), ("older", "younger"), ("bigger", "smaller"), ("largest", "smallest"),
            ("biggest", "smallest"), ("highest", "lowest"), ("most", "least"), ("boy", "girl"),
            ("husband", "wife"), ("morning", "night"), ("summer", "winter"), ("happy", "sad"),
            ("success", "failure"), ("online", "offline"), ("hot", "cold"), ("strong", "weak")]
ANT = {}
for x, y in ANTONYMS:
    ANT.setdefault(x, y)
    ANT.setdefault(y, x)
AUX = {"is", "are", "was", "were", "can", "could", "should", "would", "will", "do", "does", "did",
       "has", "have", "must"}
WORD = re.compile(r"[A-Za-z']+|\d+(?:\.\d+)?|\S")


def entity_vocab(questions):
    """Capitalised words that are not sentence-initial, seen >= 3 times, in the given questions."""
    counts = {}
    for q in questions:
        toks = re.findall(r"[A-Za-z][A-Za-z'.-]*", q)
        for t in toks[1:]:
            if t[0].isupper() and t not in ("I", "I'm", "I've", "I'll", "I'd") and len(t) > 1 \
                    and not t.isupper():
                counts[t] = counts.get(t, 0) + 1
    return sorted(t for t, c in counts.items() if c >= 3)


def perturb(q, rng, entities):
    """One meaning-changing edit of question q, or None. Tries number change, antonym swap and
    named-entity swap in a seeded random order, then negation toggle."""
    kinds = ["number", "antonym", "entity"]
    rng.shuffle(kinds)
    kinds.append("negation")  # applies to almost every question: only when nothing else does
    words = q.split(" ")
    for kind in kinds:
        if kind == "number":
            idx = [i for i, w in enumerate(words) if re.fullmatch(r"\$?\d+[,.]?\d*[%a-zA-Z]*\??", w)]
            if not idx:
                continue
            i = idx[rng.randrange(len(idx))]
            m = re.search(r"\d+", words[i])
            n = int(m.group())
            new = n + rng.choice([1, 2, 3, 5, 10]) if n < 10 or rng.random() < 0.5 else max(0, n * rng.choice([2, 3]))
            if new == n:
                new = n + 1
            w = list(words)
            w[i] = words[i][:m.start()] + str(new) + words[i][m.end():]
            return " ".join(w), kind
        if kind == "negation":
            low = [w.lower() for w in words]
            for i, w in enumerate(low):
                if w in ("not", "never"):
                    return " ".join(words[:i] + words[i + 1:]), kind
                if w.endswith("n't") and w not in ("won't", "can't"):
                    ww = list(words)
                    ww[i] = words[i][:-3]
                    return " ".join(ww), kind
            # insert "not" after an auxiliary that is followed by a subject and a verb, e.g.
            # "Why do people hate X?" -> "Why do people not hate X?" (first aux after word 0
            # or at 0, skipping the subject word that follows it).
            for i, w in enumerate(low[:-2]):
                if w in AUX:
                    j = i + 2 if low[i + 1] in ("i", "you", "we", "they", "he", "she", "it", "people") else i + 1
                    if j < len(words):
                        return " ".join(words[:j] + ["not"] + words[j:]), kind
            continue
        if kind == "antonym":
            idx = [i for i, w in enumerate(words) if re.sub(r"[^a-z]", "", w.lower()) in ANT]
            if not idx:
                continue
            i = idx[rng.randrange(len(idx))]
            core = re.sub(r"[^a-zA-Z]", "", words[i])
            rep = ANT[core.lower()]
            if core[0].isupper():
                rep = rep.capitalize()
            w = list(words)
            w[i] = words[i].replace(core, rep, 1)
            return " ".join(w), kind
        if kind == "entity" and entities:
            idx = [i for i, w in enumerate(words) if i > 0 and re.sub(r"[?,.!:;]+$", "", w) in entities]
            if not idx:
                continue
            i = idx[rng.randrange(len(idx))]
            core = re.sub(r"[?,.!:;]+$", "", words[i])
            rep = core
            while rep == core:
                rep = entities[rng.randrange(len(entities))]
            w = list(words)
            w[i] = rep + words[i][len(core):]
            return " ".join(w), kind
    return None


def hard_negatives(rows, idx, rate, seed):
    """For a seeded fraction `rate` of the given training pairs, one perturbed copy of a (or b)
    labelled non-duplicate against the original."""
    rng = random.Random(seed)
    qs = [rows[i][k] for i in idx for k in ("a", "b")]
    ents = entity_vocab(qs)
    entset = set(ents)
    out, kinds = [], {}
    for i in idx:
        if rng.random() >= rate:
            continue
        q = rows[i]["a"] if rng.random() < 0.5 else rows[i]["b"]
        r = perturb(q, rng, entset and ents)
        if r is None or r[0].strip() == q.strip():
            continue
        kinds[r[1]] = kinds.get(r[1], 0) + 1
        out.append((q, r[0]) if rng.random() < 0.5 else (r[0], q))
    return out, kinds


# ----------------------------------------------------------------------------------------------
# Cross-encoder
# ----------------------------------------------------------------------------------------------
def seed_all(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def trainable_names(model, train_layers, train_token_type):
    """Parameter names (model namespace, with `bert.`) that are trained."""
    n_layers = model.config.num_hidden_layers
    first = 0 if train_layers >= n_layers else n_layers - train_layers
    names = []
    for name, _ in model.named_parameters():
        ok = name.startswith("classifier.") or name.startswith("bert.pooler.")
        m = re.match(r"bert\.encoder\.layer\.(\d+)\.", name)
        if m and int(m.group(1)) >= first:
            ok = True
        if train_token_type and name == "bert.embeddings.token_type_embeddings.weight":
            ok = True
        if ok:
            names.append(name)
    return names, list(range(first, n_layers))


def new_model(args):
    model = BertForSequenceClassification.from_pretrained(args.base_dir, num_labels=1)
    names, layers = trainable_names(model, args.train_layers, not args.freeze_token_type)
    keep = set(names)
    for name, p in model.named_parameters():
        p.requires_grad = name in keep
    return model, names, layers


def make_batches(encoded, batch_size, rng):
    """Deterministic length-bucketed batches: shuffle, sort by length within windows of 50
    batches, then shuffle the batch order."""
    order = list(range(len(encoded)))
    rng.shuffle(order)
    win = batch_size * 50
    batches = []
    for s in range(0, len(order), win):
        w = sorted(order[s:s + win], key=lambda i: len(encoded[i][0]))
        batches += [w[k:k + batch_size] for k in range(0, len(w), batch_size)]
    rng.shuffle(batches)
    return batches


LOWER_CACHE = {}


def first_trained_layer(model, args):
    n = model.config.num_hidden_layers
    return 0 if args.train_layers >= n else n - args.train_layers


@torch.inference_mode()
def lower_states(model, encoded, first, batch_size=64):
    """Hidden states entering layer `first` (eval mode, frozen part of the model), one unpadded
    [len, 384] tensor per encoding; cached across folds (the frozen part never changes)."""
    model.eval()
    todo = sorted({tuple(e[0]) + (-1,) + tuple(e[1]) for e in encoded if (tuple(e[0]) + (-1,) + tuple(e[1])) not in LOWER_CACHE},
                  key=len)
    for s in range(0, len(todo), batch_size):
        keys = todo[s:s + batch_size]
        encs = []
        for k in keys:
            cut = k.index(-1)
            encs.append((list(k[:cut]), list(k[cut + 1:])))
        ids, tt, am = collate(encs)
        hs = model.bert(input_ids=ids, token_type_ids=tt, attention_mask=am, output_hidden_states=True).hidden_states[first]
        for k, e, h in zip(keys, encs, hs):
            LOWER_CACHE[k] = h[:len(e[0])].clone()
    return [LOWER_CACHE[tuple(e[0]) + (-1,) + tuple(e[1])] for e in encoded]


def upper_forward(model, states, first):
    """Layers first..N-1 + pooler + classifier over cached lower states (padded batch)."""
    n = max(s.shape[0] for s in states)
    h = torch.zeros((len(states), n, states[0].shape[1]))
    am = torch.zeros((len(states), n), dtype=torch.long)
    for i, s in enumerate(states):
        h[i, :s.shape[0]] = s
        am[i, :s.shape[0]] = 1
    mask = model.bert._create_attention_masks(attention_mask=am, encoder_attention_mask=None, embedding_output=h,
                                               encoder_hidden_states=None, cache=None, position_ids=None)[0]
    for layer in model.bert.encoder.layer[first:]:
        h = layer(h, mask)
        if isinstance(h, tuple):
            h = h[0]
    pooled = model.bert.pooler(h)
    return model.classifier(model.dropout(pooled))


def train_model(args, examples, tok, seed, tag=""):
    """examples: list of (a_text, b_text, label) already including both orders/augmentation."""
    seed_all(seed)
    model, names, layers = new_model(args)
    encoded = [tok.pair(a, b) for a, b, _ in examples]
    first = first_trained_layer(model, args)
    cached = first > 0 and args.freeze_token_type  # frozen lower part: precompute its output once
    states = None
    if cached:
        t = time.time()
        states = lower_states(model, encoded, first)
        log(f"{tag} lower-layer states ready ({len(LOWER_CACHE)} cached), {time.time() - t:.0f}s")
    model.train()
    labels = torch.tensor([float(y) for _, _, y in examples])
    params = [p for p in model.parameters() if p.requires_grad]
    decay = [p for n, p in model.named_parameters() if p.requires_grad and not (n.endswith("bias") or "LayerNorm" in n)]
    no_decay = [p for n, p in model.named_parameters() if p.requires_grad and (n.endswith("bias") or "LayerNorm" in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    steps_per_epoch = math.ceil(len(examples) / args.batch_size)
    total = steps_per_epoch * args.epochs
    warm = max(1, int(0.1 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (total - s) / max(1, total - warm)))
    lossf = torch.nn.BCEWithLogitsLoss()
    rng = random.Random(seed)
    epoch_times = []
    for ep in range(args.epochs):
        t = time.time()
        tot, n = 0.0, 0
        for bi, b in enumerate(make_batches(encoded, args.batch_size, rng)):
            if cached:
                logits = upper_forward(model, [states[i] for i in b], first).squeeze(-1)
            else:
                ids, tt, am = collate([encoded[i] for i in b])
                logits = model(input_ids=ids, token_type_ids=tt, attention_mask=am).logits.squeeze(-1)
            loss = lossf(logits, labels[b])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            tot += loss.item() * len(b)
            n += len(b)
        epoch_times.append(time.time() - t)
        log(f"{tag} epoch {ep + 1}/{args.epochs}: loss {tot / n:.4f}, {epoch_times[-1]:.0f}s, {len(examples)} examples")
    model.eval()
    return model, names, layers, epoch_times


@torch.inference_mode()
def predict(model, pairs, tok, batch_size=128):
    """Logits (float64 array) for (a_text, b_text) pairs; eval mode."""
    model.eval()
    encoded = [tok.pair(a, b) for a, b in pairs]
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
    out = np.zeros(len(encoded), dtype=np.float64)
    for s in range(0, len(order), batch_size):
        b = order[s:s + batch_size]
        ids, tt, am = collate([encoded[i] for i in b])
        out[b] = model(input_ids=ids, token_type_ids=tt, attention_mask=am).logits.squeeze(-1).double().numpy()
    return out


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def build_examples(args, rows, idx, cos, seed):
    ex = []
    for i in idx:
        if cos[i] < args.train_min_cos:
            continue
        a, b, y = PREFIX + rows[i]["a"], PREFIX + rows[i]["b"], int(rows[i]["duplicate"])
        ex.append((a, b, y))
        ex.append((b, a, y))
    info = {"pairs": len(ex) // 2}
    if args.hard_negatives > 0:
        # only pairs that pass the training cosine filter are perturbed
        kept = [i for i in idx if cos[i] >= args.train_min_cos]
        hn, kinds = hard_negatives(rows, kept, args.hard_negatives, seed + 7919)
        ex += [(PREFIX + a, PREFIX + b, 0) for a, b in hn]
        info["hard_negatives"] = len(hn)
        info["hard_negative_kinds"] = kinds
    return ex, info


# ----------------------------------------------------------------------------------------------
# Calibration
# ----------------------------------------------------------------------------------------------
def lowest_cutoff(cos, p, dup, floor, max_fhr):
    """Lowest cutoff with FHR <= max_fhr, FHR over ALL non-duplicates. Returned as the midpoint
    between the highest non-duplicate probability that must be rejected and the next distinct
    candidate probability above it (same served set as the infimum, not sitting on a data point)."""
    n_neg = int((~dup).sum())
    allowed = int(math.floor(max_fhr * n_neg + 1e-9))
    cand = cos >= floor
    neg_p = np.sort(p[cand & ~dup])[::-1]
    if len(neg_p) <= allowed:
        return 0.0
    v = neg_p[allowed]  # must be rejected
    above = np.unique(p[cand & (p > v)])
    return float((v + above[0]) / 2) if len(above) else float(min(1.0, v + 1e-6))


def rates(cos, p, dup, floor, cutoff):
    served = (cos >= floor) & (p >= cutoff)
    tp = int((served & dup).sum())
    fp = int((served & ~dup).sum())
    return {"recall": tp / max(1, int(dup.sum())), "false_hit_rate": fp / max(1, int((~dup).sum())),
            "precision": tp / max(1, tp + fp), "served": tp + fp, "true_hits": tp, "false_hits": fp,
            "candidates": int((cos >= floor).sum())}


def cosine_baseline(cos, dup, max_fhr):
    n_neg = int((~dup).sum())
    allowed = int(math.floor(max_fhr * n_neg + 1e-9))
    neg = np.sort(cos[~dup])[::-1]
    v = neg[allowed]
    above = np.unique(cos[cos > v])
    return float((v + above[0]) / 2)


def calibrate(cos, p, dup, floors, max_fhr, margin_fhr):
    table = []
    for f in floors:
        c = lowest_cutoff(cos, p, dup, f, max_fhr)
        c9 = lowest_cutoff(cos, p, dup, f, margin_fhr)
        table.append({"floor": f, "cutoff": c, "oof": rates(cos, p, dup, f, c),
                      "cutoff_margin": c9, "oof_margin": rates(cos, p, dup, f, c9),
                      "candidate_recall_ceiling": float(((cos >= f) & dup).sum() / dup.sum())})
    best = max(t["oof"]["recall"] for t in table)
    # prefer the highest floor whose recall is within 1 point of the best
    chosen = max((t for t in table if t["oof"]["recall"] >= best - 0.01), key=lambda t: t["floor"])
    return table, chosen


# ----------------------------------------------------------------------------------------------
# Export
# ----------------------------------------------------------------------------------------------
def base_name(name):
    return name[len("bert."):] if name.startswith("bert.") else name


def shipped_tensors(model, names):
    sd = dict(model.named_parameters())
    return {base_name(n): sd[n].detach().to(torch.float16).contiguous() for n in names}


def load_shipped(model, tensors):
    """Round-trip: f16 tensors back into the f32 model (what the Swift side will run)."""
    sd = dict(model.named_parameters())
    with torch.no_grad():
        for k, v in tensors.items():
            name = k if k.startswith("classifier.") else "bert." + k
            sd[name].copy_(v.to(torch.float32))


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


FIXTURE_EXTRA = [
    ("How do I undo my last git commit?", "How can I revert the most recent commit in git?"),
    ("What's the tallest mountain in the world?", "Which mountain is the highest on Earth?"),
    ("What is the boiling point of water at sea level?", "At sea level, what temperature does water boil at?"),
    ("What is the capital of France?", "What is the capital of Germany?"),
    ("How do I reset my password?", "How do I reset my password?"),
    ("How do I learn Python quickly?", "What is the fastest way to learn Python?"),
    ("Is it safe to eat raw eggs?", "Is it not safe to eat raw eggs?"),
    ("What are the best books of 2019?", "What are the best books of 2020?"),
    ("Wie spät ist es in Zürich? Ça coûte combien — naïve café résumé 東京", "What time is it in Zurich?"),
    ("Explain the difference between TCP and UDP.", "What is the difference between UDP and TCP?"),
    ("Write a haiku about autumn.", "Write a haiku about spring."),
    ("hi", "hello"),
]


def fixture_pairs(rows, held, cos, tok):
    """24 pairs: 12 hand-written above, one long pair truncated past 128 tokens, and 11 held-out
    QQP pairs (a mix of duplicates and not, short and long), chosen by a fixed rule."""
    pairs = [(PREFIX + a, PREFIX + b) for a, b in FIXTURE_EXTRA]
    long_a = ("I have been running a small online bakery for three years and I want to move the whole "
              "order system from spreadsheets to a proper database, but I am worried about losing the "
              "history of orders, customer notes, allergy flags, recurring subscriptions and the "
              "discount codes that my regular customers use every week. What is the safest step by step "
              "way to migrate all of that without downtime, and which database should I choose if I "
              "only know a little SQL and have a budget of about fifty dollars a month?")
    long_b = ("How can I migrate my bakery's orders from spreadsheets to a database safely, keeping all "
              "customer history, and which cheap database is best for a beginner who knows some SQL? "
              "I also want to keep allergy flags, subscriptions and discount codes intact.")
    pairs.append((PREFIX + long_a, PREFIX + long_b))
    h = [i for i in held if cos[i] >= 0.7]
    rng = random.Random(20261208)
    dups = [i for i in h if rows[i]["duplicate"]]
    nons = [i for i in h if not rows[i]["duplicate"]]
    picks = rng.sample(dups, 5) + rng.sample(nons, 5)
    longest = max(h, key=lambda i: len(rows[i]["a"]) + len(rows[i]["b"]))
    picks.append(longest)
    pairs += [(PREFIX + rows[i]["a"], PREFIX + rows[i]["b"]) for i in picks]
    assert len(pairs) == 24
    return pairs


# ----------------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output directory (pair-verifier.safetensors, calibration.json, report)")
    ap.add_argument("--data", default=os.path.join(REPO, "data", "qqp-pairs-10k.jsonl"))
    ap.add_argument("--base-dir", default=os.path.expanduser("~/.cache/heimdall/models/all-MiniLM-L6-v2"))
    ap.add_argument("--cache-dir", default=os.path.join(REPO, ".build", "pair-model"))
    ap.add_argument("--fixture", default=None, help="write the parity fixture JSONL here")
    ap.add_argument("--seed", type=int, default=1234, help="training seed (folds, init, data order)")
    ap.add_argument("--split-seed", type=int, default=1)
    ap.add_argument("--train-fraction", type=float, default=0.5)
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--max-pair-tokens", type=int, default=128)
    ap.add_argument("--train-layers", type=int, default=6, help="top N encoder layers trained (6 = all)")
    ap.add_argument("--freeze-token-type", action="store_true", help="do not train token_type_embeddings")
    ap.add_argument("--train-min-cos", type=float, default=-1.0, help="train only on pairs with cosine >= this")
    ap.add_argument("--hard-negatives", type=float, default=0.0,
                    help="fraction of training pairs that get one synthetic hard negative (0 = none)")
    ap.add_argument("--floors", default="0.70,0.75,0.80,0.85")
    ap.add_argument("--max-fhr", type=float, default=0.01)
    ap.add_argument("--margin-fhr", type=float, default=0.009)
    ap.add_argument("--use-margin", action="store_true", help="ship the 0.9%% (margin) cutoff instead of the 1%% one")
    ap.add_argument("--oof-only", action="store_true", help="stop after OOF calibration (experiments)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--smoke", action="store_true", help="tiny subset of both halves: a quick pipeline test only")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    command = "python " + " ".join(shlex.quote(a) for a in
                                   [os.path.relpath(os.path.abspath(sys.argv[0]), REPO)] + sys.argv[1:])
    report = {"command": command, "args": vars(args)}
    rows = [json.loads(l) for l in open(args.data)]
    train_idx, held_idx = seeded_split(len(rows), args.train_fraction, args.split_seed)
    report["split"] = {"train_first5": train_idx[:5], "held_out_first5": held_idx[:5],
                       "train": len(train_idx), "held_out": len(held_idx)}
    log("split: train", train_idx[:5], "held", held_idx[:5])
    if args.smoke:
        train_idx, held_idx = train_idx[:300], held_idx[:400]
    cos = cosines(rows, args.base_dir, os.path.join(args.cache_dir, "cosines.npz"))
    dup_all = np.array([bool(r["duplicate"]) for r in rows])
    floors = [float(x) for x in args.floors.split(",")]
    min_floor = min(floors)
    tok = PairTokenizer(args.base_dir, args.max_pair_tokens)
    tok.warm([PREFIX + r[k] for r in rows for k in ("a", "b")])

    tr = np.array(train_idx)
    cos_tr, dup_tr = cos[tr], dup_all[tr]
    base_t = cosine_baseline(cos_tr, dup_tr, args.max_fhr)
    report["cosine_baseline_train"] = {"threshold": base_t, **rates(cos_tr, np.ones_like(cos_tr), dup_tr, base_t, 0.0)}
    log("cosine-only baseline on training half:", report["cosine_baseline_train"])

    # ---------------- k-fold OOF over the training half ----------------
    rng = random.Random(args.seed)
    perm = list(train_idx)
    rng.shuffle(perm)
    fold_of = {i: k % args.folds for k, i in enumerate(perm)}
    oof = np.full(len(rows), np.nan)
    fold_times = []
    for k in range(args.folds):
        t = time.time()
        fit = [i for i in train_idx if fold_of[i] != k]
        val = [i for i in train_idx if fold_of[i] == k and cos[i] >= min_floor]
        ex, info = build_examples(args, rows, fit, cos, args.seed + 100 * (k + 1))
        log(f"fold {k + 1}/{args.folds}: {info}")
        model, names, layers, ep_t = train_model(args, ex, tok, args.seed + k + 1, tag=f"fold {k + 1}")
        oof[val] = predict(model, [(PREFIX + rows[i]["a"], PREFIX + rows[i]["b"]) for i in val], tok)
        fold_times.append({"seconds": time.time() - t, "epoch_seconds": ep_t, **info})
        del model
    report["fold_times"] = fold_times
    p_tr = sigmoid(np.nan_to_num(oof[tr], nan=-50.0))  # below the lowest floor: never served anyway
    table, chosen = calibrate(cos_tr, p_tr, dup_tr, floors, args.max_fhr, args.margin_fhr)
    report["oof_table"] = table
    report["chosen"] = chosen
    for t in table:
        log(f"OOF floor {t['floor']:.2f}: cutoff {t['cutoff']:.4f} recall {t['oof']['recall']:.4f} "
            f"FHR {t['oof']['false_hit_rate']:.4f} | 0.9%: cutoff {t['cutoff_margin']:.4f} "
            f"recall {t['oof_margin']['recall']:.4f} | ceiling {t['candidate_recall_ceiling']:.4f}")
    log("chosen floor", chosen["floor"])
    aux = args.out if args.oof_only else args.cache_dir  # never litter the export folder
    os.makedirs(aux, exist_ok=True)
    np.save(os.path.join(aux, "oof_logits.npy"), oof)
    if args.oof_only:
        json.dump(report, open(os.path.join(aux, "report.json"), "w"), indent=1)
        return

    # ---------------- final model on the whole training half ----------------
    t = time.time()
    ex, info = build_examples(args, rows, train_idx, cos, args.seed)
    log("final:", info)
    model, names, layers, ep_t = train_model(args, ex, tok, args.seed, tag="final")
    report["final_train"] = {"seconds": time.time() - t, "epoch_seconds": ep_t, **info}
    tensors = shipped_tensors(model, names)
    wpath = os.path.join(args.out, "pair-verifier.safetensors")
    save_file(tensors, wpath, metadata={"format": "pt"})
    # the model AS SHIPPED: reload the f16 file into a fresh base model
    shipped, _, _ = new_model(args)
    load_shipped(shipped, load_file(wpath))
    shipped.eval()
    os.chmod(wpath, 0o644)
    with torch.no_grad():
        f16_diff = max(float((dict(shipped.named_parameters())[n] - dict(model.named_parameters())[n]).abs().max()) for n in names)
    log(f"shipped tensors: {len(tensors)}, max |f32-f16| {f16_diff:.2e}, file {os.path.getsize(wpath)} bytes")
    del model

    floor = chosen["floor"]
    cutoff = chosen["cutoff_margin"] if args.use_margin else chosen["cutoff"]
    oof_pick = chosen["oof_margin"] if args.use_margin else chosen["oof"]
    ho = np.array(held_idx)
    cos_ho, dup_ho = cos[ho], dup_all[ho]
    p_ho = np.zeros(len(ho))
    cand = np.where(cos_ho >= min_floor)[0]
    p_ho[cand] = sigmoid(predict(shipped, [(PREFIX + rows[held_idx[j]]["a"], PREFIX + rows[held_idx[j]]["b"]) for j in cand], tok))
    held = rates(cos_ho, p_ho, dup_ho, floor, cutoff)
    base_ho = rates(cos_ho, np.ones_like(cos_ho), dup_ho, base_t, 0.0)
    report["held_out"] = held
    report["held_out_cosine_baseline"] = {"threshold": base_t, **base_ho}
    around = sorted(set([cutoff] + [round(x, 3) for x in (0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99)]))
    report["held_out_table"] = [{"floor": floor, "cutoff": c, **rates(cos_ho, p_ho, dup_ho, floor, c)} for c in around]
    report["held_out_by_floor"] = [{"floor": tt["floor"], "cutoff": tt["cutoff"], **rates(cos_ho, p_ho, dup_ho, tt["floor"], tt["cutoff"])} for tt in table]
    log("held-out two-stage:", held)
    log("held-out cosine-only:", base_ho)

    # examples
    ex3 = FIXTURE_EXTRA[:3]
    with torch.inference_mode():
        lg = predict(shipped, [(PREFIX + a, PREFIX + b) for a, b in ex3], tok)
    emb_cos = example_cosines([(PREFIX + a, PREFIX + b) for a, b in ex3], args.base_dir)
    report["examples"] = [{"a": a, "b": b, "probability": float(sigmoid(l)), "cosine": c} for (a, b), l, c in zip(ex3, lg, emb_cos)]
    log("examples:", report["examples"])

    cal = {"format": 1, "base_model": "all-MiniLM-L6-v2", "base_model_sha256": BASE_SHA256,
           "weights_sha256": sha256_file(wpath), "layers_trained": layers,
           "token_type_embeddings_trained": not args.freeze_token_type,
           "max_pair_tokens": args.max_pair_tokens, "text_prefix": PREFIX,
           "candidate_floor": floor, "cutoff": round(cutoff, 6), "max_false_hit": args.max_fhr,
           "split": {"seed": args.split_seed, "train_fraction": args.train_fraction},
           "folds": args.folds, "trained_with": command,
           "oof_train": {"recall": round(oof_pick["recall"], 4), "false_hit_rate": round(oof_pick["false_hit_rate"], 4)},
           "held_out": {"recall": round(held["recall"], 4), "false_hit_rate": round(held["false_hit_rate"], 4),
                        "precision": round(held["precision"], 4)}}
    json.dump(cal, open(os.path.join(args.out, "calibration.json"), "w"), indent=2)
    open(os.path.join(args.out, "calibration.json"), "a").write("\n")

    if args.fixture:
        pairs = fixture_pairs(rows, held_idx, cos, tok)
        lg = predict(shipped, pairs, tok, batch_size=1)
        with open(args.fixture, "w") as f:
            for (a, b), l in zip(pairs, lg):
                ids, tt = tok.pair(a, b)
                l32 = np.float32(l)
                f.write(json.dumps({"a": a, "b": b, "input_ids": ids, "token_type_ids": tt,
                                    "logit": float(l32), "probability": float(np.float32(1 / (1 + np.exp(-float(l32)))))},
                                   ensure_ascii=False) + "\n")
        log("fixture written:", args.fixture)
    json.dump(report, open(os.path.join(aux, "final-report.json"), "w"), indent=1)
    log("done")


def example_cosines(pairs, base_dir):
    tok = load_tokenizer(base_dir)
    model = AutoModel.from_pretrained(base_dir).eval()
    out = []
    with torch.inference_mode():
        for a, b in pairs:
            enc = tok([a, b], padding=True, truncation=True, max_length=256, return_tensors="pt")
            h = model(**enc).last_hidden_state
            m = enc["attention_mask"].unsqueeze(-1).float()
            v = torch.nn.functional.normalize((h * m).sum(1) / m.sum(1), dim=1)
            out.append(float(v[0] @ v[1]))
    return out


if __name__ == "__main__":
    main()
