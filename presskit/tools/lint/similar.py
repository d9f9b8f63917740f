"""Near-duplicate questions at scale: an exact candidate filter, then difflib, then clusters.

difflib's ratio over words is r = 2M/T, where T is the two questions' word counts added and M the
words its matching blocks cover. M is at most the number of words the two share, counted as
multisets (that is difflib's own `quick_ratio`), so r >= t needs at least ceil(t*T/2) shared words.
That bound makes a set-similarity join exact:

- size: the shorter question has at least t/(2-t) times the words of the longer one;
- prefix: mark a word's repeats ("the", "the\x002") so multisets become sets, order every
  question's words rarest first, and keep the first |x| - a + 2 of them, a being the fewest
  words x shares with a near-duplicate. If x and y share at least a words, their two rarest
  shared words lie in both prefixes (the prefix lemma of Chaudhuri et al., 2006, and "AllPairs",
  Bayardo et al., 2007, with two shared words rather than one). Taking questions shortest first,
  the ones already indexed are never longer, which shortens the indexed prefix.

Only questions whose prefixes share a pair of words (an inverted index keyed by word pairs) are
compared, first by size and shared words (a set intersection), then with difflib's cheap bounds
and full ratio, so the pairs found are exactly the pairs the all-pairs loop finds, with no recall
lost (unlike MinHash/LSH), and rare words keep the posting lists short.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, combinations, repeat

Pair = tuple[int, int, float]  # (earlier index, later index, ratio)

_EPSILON = 1e-9  # bounds rounded towards more candidates, never fewer


def _occurrences(tokens: Sequence[str]) -> list[str]:
    """The words as a set: a repeated word's second occurrence is "word\x002", and so on."""
    if len(set(tokens)) == len(tokens):
        return list(tokens)
    seen: dict[str, int] = {}
    out = []
    for word in tokens:
        count = seen[word] = seen.get(word, 0) + 1
        out.append(word if count == 1 else f"{word}\x00{count}")
    return out


def _least_shared(size: int, threshold: float) -> int:
    """How many words a question of `size` words shares with any near-duplicate, at least."""
    return max(1, math.ceil(threshold * size / (2 - threshold) - _EPSILON))


def similar_pairs(texts: Sequence[Sequence[str]], threshold: float) -> list[Pair]:
    """Every pair of word lists (not equal ones) whose difflib ratio is at least `threshold`.

    The same pairs, in the same order, as comparing every pair with
    `difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()`, found without comparing
    every pair."""
    if threshold <= 0:  # everything is alike: nothing to filter
        return all_pairs(texts, threshold)
    return _confirm(texts, (p[:2] for p in _bounded(texts, threshold)), threshold)


def similar_clusters(
    texts: Sequence[Sequence[str]], threshold: float
) -> list[list[tuple[int, float]]]:
    """`clusters(len(texts), similar_pairs(texts, threshold))`, with fewer difflib calls.

    A cluster needs its pairs only for two things: joining its members, and each member's
    best ratio (shown, and the members' order). A candidate pair whose two questions are
    already in one cluster, and whose ratio cannot beat either one's best so far (its bound,
    the shared words, is no higher), changes neither, so difflib is not asked about it. Best
    ratios only grow and clusters only merge, so skipping such a pair gives the clusters that
    confirming every pair gives. This matters for crowds of near-identical questions: each
    one's best is met early, and most of the other pairs in the crowd are skipped (2,000
    questions alike were a difflib call per pair, 72 s)."""
    found = _Clusters(len(texts))
    if threshold <= 0:
        for i, j, ratio in all_pairs(texts, threshold):
            found.add(i, j, ratio)
        return found.members()
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    best = found.best
    for i, j, bound in _bounded(texts, threshold):
        if (
            best.get(i, 0.0) >= bound
            and best.get(j, 0.0) >= bound
            and found.root(i) == found.root(j)
        ):
            continue
        confirmed = _ratio(matcher, texts[i], texts[j], threshold)
        if confirmed is not None:
            found.add(i, j, confirmed)
    return found.members()


def _bounded(texts: Sequence[Sequence[str]], threshold: float) -> Iterator[tuple[int, int, float]]:
    """The candidate pairs that pass the size and shared-word bounds, in `_candidates`' order,
    each with its shared-word bound (difflib's `quick_ratio`: no ratio is higher)."""
    ranked = _ranked(texts)
    candidates = _candidates(ranked, threshold)
    sets = [frozenset(r) for r in ranked]
    low = threshold / (2 - threshold)
    for i, j in candidates:
        small, large = sorted((len(ranked[i]), len(ranked[j])))
        # size, then shared words (difflib's quick_ratio, as a C-level set intersection)
        if small + _EPSILON < low * large:
            continue
        shared = 2 * len(sets[i] & sets[j])
        if shared + _EPSILON < threshold * (small + large):
            continue
        yield i, j, shared / (small + large)


def _ranked(texts: Sequence[Sequence[str]]) -> list[list[int]]:
    """Each text's words as numbers, rarest first: a word's rank in the whole corpus by how
    often it occurs (ties by the word), a repeated word's second occurrence a word of its own."""
    sets = [_occurrences(t) for t in texts]
    frequency: Counter[str] = Counter(chain.from_iterable(sets))
    rank = {w: r for r, w in enumerate(sorted(frequency, key=lambda w: (frequency[w], w)))}
    return [sorted(map(rank.__getitem__, s)) for s in sets]


def _candidates(ranked: Sequence[Sequence[int]], threshold: float) -> list[tuple[int, int]]:
    """The pairs (earlier, later, by index; ordered by the later) that share two words among
    their prefixes, or for pairs so short that one shared word may do, one.

    Two questions of sizes s <= l that are alike share at least a = ceil(t*(s+l)/2) words, which
    is at least ceil(t*s) for the shorter and ceil(t/(2-t)*l) for the longer one. So taking the
    questions shortest first, the two rarest shared words lie among the first s - ceil(t*s) + 2
    words of the shorter (the indexed prefix) and among the first l - ceil(t/(2-t)*l) + 2 of the
    longer (the probing prefix). The index is keyed by pairs of words, not words: a key's
    postings are the questions sharing both, far fewer than share either, so the work grows with
    the candidates, not with how often common words recur (with single words as keys, 100,000
    questions spent 50 s walking postings). Lookups and inserts run in C (map over
    `combinations`), as they are most of the time left."""
    order = sorted(range(len(ranked)), key=lambda k: len(ranked[k]))
    index: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
    probe_of = index.get
    tiny: defaultdict[int, list[int]] = defaultdict(list)  # single words, for the shortest
    tiny_size = 2 / threshold - 1 + _EPSILON  # t*(s+l)/2 <= 1 needs s, l <= 2/t - 1
    none: tuple[int, ...] = ()
    found: list[tuple[int, int]] = []
    for j in order:
        words = ranked[j]
        size = len(words)
        probe = combinations(words[: size - _least_shared(size, threshold) + 2], 2)
        met = set(chain.from_iterable(map(probe_of, probe, repeat(none))))
        if size <= tiny_size:
            for word in words:
                met.update(tiny[word])
                tiny[word].append(j)
        for key in combinations(words[: size - math.ceil(threshold * size - _EPSILON) + 2], 2):
            index[key].append(j)
        found.extend((i, j) if i < j else (j, i) for i in met)
    found.sort(key=lambda p: (p[1], p[0]))
    return found


def _confirm(
    texts: Sequence[Sequence[str]], candidates: Iterable[tuple[int, int]], threshold: float
) -> list[Pair]:
    """The candidate pairs that difflib confirms, exactly as the all-pairs rule computed them."""
    pairs: list[Pair] = []
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    for i, j in candidates:
        ratio = _ratio(matcher, texts[i], texts[j], threshold)
        if ratio is not None:
            pairs.append((i, j, ratio))
    return pairs


def _ratio(
    matcher: difflib.SequenceMatcher[str], a: Sequence[str], b: Sequence[str], threshold: float
) -> float | None:
    """difflib's ratio of two word lists if it is at least `threshold` and they differ."""
    if a == b:
        return None  # exact duplicates are another rule's
    matcher.set_seqs(a, b)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return None
    ratio = matcher.ratio()
    return ratio if ratio >= threshold else None


def all_pairs(texts: Sequence[Sequence[str]], threshold: float) -> list[Pair]:
    """The reference: every pair compared (quadratic; for tests and the benchmark only)."""
    return _confirm(texts, ((i, j) for j in range(len(texts)) for i in range(j)), threshold)


def clusters(count: int, pairs: Sequence[Pair]) -> list[list[tuple[int, float]]]:
    """Connected components of the pairs (union-find), each as (index, best ratio) members.

    Members come largest similarity first (ties in index order), after the cluster's first
    index, which leads; clusters come in the order of their first index."""
    found = _Clusters(count)
    for i, j, ratio in pairs:
        found.add(i, j, ratio)
    return found.members()


class _Clusters:
    """Union-find over question indices, with each question's best ratio so far."""

    def __init__(self, count: int) -> None:
        self.parent = list(range(count))
        self.best: dict[int, float] = {}

    def root(self, k: int) -> int:
        parent = self.parent
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def add(self, i: int, j: int, ratio: float) -> None:
        a, b = self.root(i), self.root(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)
        best = self.best
        best[i] = max(best.get(i, 0.0), ratio)
        best[j] = max(best.get(j, 0.0), ratio)

    def members(self) -> list[list[tuple[int, float]]]:
        best = self.best
        groups: defaultdict[int, list[int]] = defaultdict(list)
        for k in sorted(best):
            groups[self.root(k)].append(k)
        result = []
        for first in sorted(groups):
            members = groups[first]
            rest = sorted(members[1:], key=lambda k: (-best[k], k))
            result.append([(k, best[k]) for k in [members[0], *rest]])
        return result
