#!/usr/bin/python3
"""PyTorch port of the trainer's default configuration (--loss per-user), for the training benchmark.

The shared reference (../shared/tools/pytorch_twotower.py) trains ids only with a per-pair softmax; this script trains
what `train` trains by default, on the split of one of its artifacts (--train-file users.tsv, every other pair is
test), for a given number of epochs (the artifact's epochsTrained: the benchmark compares one run of the same length):

  query  = user id + demographics (age bucket, gender, occupation, zip's first character) + history bag
           (the user's training movies, the movie id table shared, each weighing 1/sqrt(n)); L2-normalised
  movie  = movie id + genres + release-year bucket + title words (in at least 2 titles); L2-normalised
  score  = query . movie / temperature + movie bias
  step   = a batch of users; each user's movies hidden with probability --target-share are the targets, the rest its
           history; softmax over every movie not in the history; mean cross-entropy per target; Adam with weight decay,
           cosine decay to a tenth of --lr over --max-epochs.

Prints one JSON object last, in the shared script's format: options, train seconds, and the evaluation table for the
model, popularity and EASE (lambda 500), seen excluded and all.
"""
import argparse, csv, json, math, os, re, time
import numpy as np, torch

p = argparse.ArgumentParser()
p.add_argument('--data', required=True)
p.add_argument('--train-file', required=True)
p.add_argument('--threads', type=int, default=2)
p.add_argument('--seed', type=int, default=42)
p.add_argument('--epochs', type=int, required=True)
p.add_argument('--max-epochs', type=int, default=0, help='length of the cosine schedule (0: --epochs)')
p.add_argument('--dim', type=int, default=128)
p.add_argument('--batch', type=int, default=64, help='users per step')
p.add_argument('--lr', type=float, default=0.005)
p.add_argument('--weight-decay', type=float, default=1e-5)
p.add_argument('--temperature', type=float, default=0.2)
p.add_argument('--target-share', type=float, default=0.2)
p.add_argument('--schedule', choices=['constant', 'cosine'], default='cosine')
p.add_argument('--no-history', action='store_true')
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
KS = (1, 5, 10, 50, 100)

# Data: unique (user, movie) pairs; ML-100K keys movies by title (merging its 18 duplicates), as the trainer does.
items_meta, users_meta = {}, {}
if os.path.exists(os.path.join(a.data, 'u.data')):
    genre_names = [l.split('|')[0] for l in open(os.path.join(a.data, 'u.genre'), encoding='latin-1') if '|' in l]
    for line in open(os.path.join(a.data, 'u.item'), encoding='latin-1'):
        f = line.rstrip('\n').split('|')
        year = re.search(r'(\d{4})$', f[2]); flags = f[5:5 + len(genre_names)]
        items_meta.setdefault(f[1], (f[1], [g for g, x in zip(genre_names, flags) if x == '1'], int(year.group(1)) if year else None))
    title = {line.split('|')[0]: line.split('|')[1] for line in open(os.path.join(a.data, 'u.item'), encoding='latin-1')}
    key_of = lambda m: title[m]
    pairs = [(l.split('\t')[0], title[l.split('\t')[1]]) for l in open(os.path.join(a.data, 'u.data'))]
    for line in open(os.path.join(a.data, 'u.user')):
        f = line.rstrip('\n').split('|'); users_meta[f[0]] = (int(f[1]), f[2], f[3], f[4])
else:
    with open(os.path.join(a.data, 'movies.csv'), newline='', encoding='utf-8') as f:
        r = csv.reader(f); next(r)
        for row in r:
            year = re.search(r'\((\d{4})\)\s*$', row[1])
            items_meta[row[0]] = (row[1], [] if row[2] == '(no genres listed)' else row[2].split('|'), int(year.group(1)) if year else None)
    key_of = lambda m: m
    with open(os.path.join(a.data, 'ratings.csv'), newline='') as f:
        r = csv.reader(f); next(r)
        pairs = [(row[0], row[1]) for row in r]
pairs = list(dict.fromkeys(pairs))
users = sorted({u for u, _ in pairs}); items = sorted({i for _, i in pairs})  # rated movies only, as the trainer's loader keeps
uix = {u: k for k, u in enumerate(users)}; iix = {i: k for k, i in enumerate(items)}
U, I = len(users), len(items)
train_set = set()
for row in [l.rstrip('\n').split('\t') for l in open(a.train_file)][1:]:
    for m in (row[1].split() if len(row) > 1 else []):
        train_set.add((row[0], key_of(m)))
train = [q for q in pairs if q in train_set]; test = [q for q in pairs if q not in train_set]
X = torch.zeros(U, I)
X[[uix[u] for u, _ in train], [iix[i] for _, i in train]] = 1

def bag_matrix(rows):  # rows of feature names -> padded index matrix (0 = none), vocabulary size
    vocab = {}
    idx = [[vocab.setdefault(n, len(vocab) + 1) for n in r] for r in rows]
    width = max(1, max(len(r) for r in idx))
    return torch.tensor([r + [0] * (width - len(r)) for r in idx]), len(vocab) + 1

def age_bucket(x): return next(b for lim, b in ((18, '<18'), (25, '18-24'), (35, '25-34'), (45, '35-44'), (50, '45-49'), (56, '50-55'), (999, '56+')) if x < lim)
def year_bucket(y): return '<1930' if y < 1930 else (f'{y // 10 * 10}s' if y < 1990 else str(y))
def words(t): return [w for w in re.findall(r'\w+', re.sub(r'\s*\(\d{4}\)\s*$', '', t).lower()) if len(w) > 1 and not w.startswith('_')]
word_count = {}
for i in items:
    for w in set(words(items_meta[i][0])): word_count[w] = word_count.get(w, 0) + 1
user_rows = [[f'age:{age_bucket(m[0])}', f'gender:{m[1]}', f'occupation:{m[2]}', f'zip:{m[3][:1].upper()}'] if (m := users_meta.get(u)) else [] for u in users]
item_rows = [[f'genre:{g}' for g in items_meta[i][1]] + ([f'year:{year_bucket(items_meta[i][2])}'] if items_meta[i][2] else [])
             + [f'word:{w}' for w in dict.fromkeys(words(items_meta[i][0])) if word_count[w] >= 2] for i in items]
user_index, user_vocab = bag_matrix(user_rows)
item_index, item_vocab = bag_matrix(item_rows)

def table(n, padding=False):
    e = torch.nn.Embedding(n, a.dim, padding_idx=0 if padding else None)
    torch.nn.init.uniform_(e.weight, -0.05, 0.05)
    if padding:
        with torch.no_grad(): e.weight[0].zero_()
    return e
user_ids, item_ids = table(U), table(I)
user_features = table(user_vocab, True) if user_vocab > 1 else None
item_features, item_bias = table(item_vocab, True), torch.nn.Embedding(I, 1)
torch.nn.init.zeros_(item_bias.weight)
modules = [m for m in (user_ids, item_ids, user_features, item_features, item_bias) if m is not None]
opt = torch.optim.Adam([w for m in modules for w in m.parameters()], lr=a.lr, weight_decay=a.weight_decay)
max_epochs = a.max_epochs or a.epochs

def movies():
    return torch.nn.functional.normalize(item_ids.weight + item_features(item_index).sum(1), dim=-1)

def queries(rows, history):
    v = user_ids(rows)
    if user_features is not None: v = v + user_features(user_index[rows]).sum(1)
    if not a.no_history: v = v + (history / history.sum(1, keepdim=True).clamp(min=1).sqrt()) @ item_ids.weight
    return torch.nn.functional.normalize(v, dim=-1)

t0 = time.time()
for epoch in range(a.epochs):
    factor = 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * epoch / (max_epochs - 1))) if a.schedule == 'cosine' and max_epochs > 1 else 1.0
    for g in opt.param_groups: g['lr'] = a.lr * factor
    order = torch.randperm(U)
    for b in range(0, U, a.batch):
        rows = order[b:b + a.batch]; x = X[rows]
        targets = x * (torch.rand(x.shape) < a.target_share).float(); history = x - targets
        logits = queries(rows, history) / a.temperature @ movies().T + item_bias.weight[:, 0]
        logits = logits.masked_fill(history > 0, -1e4)
        loss = -(torch.log_softmax(logits, 1) * targets).sum() / targets.sum().clamp(min=1)
        opt.zero_grad(); loss.backward(); opt.step()
train_seconds = time.time() - t0

tu = np.array([uix[u] for u, _ in test]); ti = np.array([iix[i] for _, i in test])
Xb = X.numpy().astype(bool)
def evaluate(S):
    out = {}
    for name, exclude in (('all', False), ('seenExcluded', True)):
        ranks = np.empty(len(tu), dtype=np.int64)
        for s0 in range(0, len(tu), 4096):
            uu, ii = tu[s0:s0 + 4096], ti[s0:s0 + 4096]
            s = S[uu].astype(np.float64, copy=True)
            if exclude: s[Xb[uu]] = -np.inf
            ranks[s0:s0 + 4096] = (s > s[np.arange(len(uu)), ii][:, None]).sum(1)
        out[name] = {str(k): float((ranks < k).mean()) for k in KS}
    return out
with torch.no_grad():
    S = (queries(torch.arange(U), X) / a.temperature @ movies().T + item_bias.weight[:, 0]).numpy()
Xf = X.numpy().astype(np.float64)
G = Xf.T @ Xf; G[np.diag_indices_from(G)] += 500.0
P = np.linalg.inv(G); B = P / (-np.diag(P)); B[np.diag_indices_from(B)] = 0
result = {'options': vars(a), 'users': U, 'movies': I, 'train': len(train), 'test': len(test),
          'train_seconds': round(train_seconds, 2),
          'evaluation': {'model': evaluate(S), 'popularity': evaluate(np.tile(Xf.sum(0), (U, 1))), 'ease': evaluate(Xf @ B)}}
for name, t in result['evaluation'].items():
    print(f"{name:10s} all: " + ' '.join(f"top{k}={t['all'][str(k)]:.4f}" for k in KS)
          + ' | seen excluded: ' + ' '.join(f"top{k}={t['seenExcluded'][str(k)]:.4f}" for k in KS))
print(json.dumps(result))
