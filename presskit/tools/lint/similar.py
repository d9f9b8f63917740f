"""Near-duplicate questions at scale: an exact candidate filter, then difflib, then clusters.

difflib's ratio over words is r = 2M/T, where T is the two questions' word counts added and M the
words its matching blocks cover. M is at most the number of words the two share, counted as
multisets (that is difflib's own `quick_ratio`), so r >= t needs at least ceil(t*T/2) shared words.
That bound makes a set-similarity join exact:

- size: the shorter question has at least t/(2-t) times the words of the longer one;
- prefix: number each word's occurrences ("the#1", "the#2") so multisets become sets, order
  every question's words rarest first, and keep the first |x| - ceil(t*|x|/(2-t)) + 1 of them.
  Two questions that share ceil(t*T/2) words share a word in those prefixes (the prefix lemma of
  Chaudhuri et al., 2006, and of "AllPairs", Bayardo et al., 2007).

Only questions that meet in an inverted index of prefixes are compared, first with the cheap
bounds, then with the full ratio, so the pairs found are exactly the pairs the all-pairs loop
finds, with no recall lost (unlike MinHash/LSH), and rare words keep the posting lists short.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter, defaultdict
from collections.abc import Sequence

Pair = tuple[int, int, float]  # (earlier index, later index, ratio)

_EPSILON = 1e-9  # bounds rounded towards more candidates, never fewer


def _occurrences(tokens: Sequence[str]) -> list[tuple[str, int]]:
    seen: Counter[str] = Counter()
    out = []
    for word in tokens:
        seen[word] += 1
        out.append((word, seen[word]))
    return out


def _prefix_length(size: int, threshold: float) -> int:
    """How many of a question's rarest words any near-duplicate must share one of."""
    least = max(1, math.ceil(threshold * size / (2 - threshold) - _EPSILON))
    return max(0, size - least + 1)


def similar_pairs(texts: Sequence[Sequence[str]], threshold: float) -> list[Pair]:
    """Every pair of word lists (not equal ones) whose difflib ratio is at least `threshold`.

    The same pairs as comparing every pair with `difflib.SequenceMatcher(None, a, b,
    autojunk=False).ratio()`, found without comparing every pair."""
    sets = [_occurrences(t) for t in texts]
    if threshold <= 0:  # everything is alike: nothing to filter
        return all_pairs(texts, threshold)
    frequency: Counter[tuple[str, int]] = Counter(w for s in sets for w in set(s))
    index: defaultdict[tuple[str, int], list[int]] = defaultdict(list)
    candidates: list[Sequence[int]] = []
    low = threshold / (2 - threshold)
    for j, words in enumerate(sets):
        size = len(words)
        prefix = sorted(words, key=lambda w: (frequency[w], w))[: _prefix_length(size, threshold)]
        found: set[int] = set()
        for word in prefix:
            for i in index[word]:
                other = len(sets[i])
                if min(size, other) + _EPSILON >= low * max(size, other):
                    found.add(i)
            index[word].append(j)
        candidates.append(sorted(found))
    return _confirm(texts, candidates, threshold)


def _confirm(
    texts: Sequence[Sequence[str]], candidates: Sequence[Sequence[int]], threshold: float
) -> list[Pair]:
    """The candidates that difflib confirms, exactly as the all-pairs rule computed them."""
    pairs: list[Pair] = []
    for j, earlier in enumerate(candidates):
        if not earlier:
            continue
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(texts[j])
        for i in earlier:
            if texts[i] == texts[j]:
                continue  # exact duplicates are another rule's
            matcher.set_seq1(texts[i])
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                pairs.append((i, j, ratio))
    return pairs


def all_pairs(texts: Sequence[Sequence[str]], threshold: float) -> list[Pair]:
    """The reference: every pair compared (quadratic; for tests and the benchmark only)."""
    return _confirm(texts, [range(j) for j in range(len(texts))], threshold)


def clusters(count: int, pairs: Sequence[Pair]) -> list[list[tuple[int, float]]]:
    """Connected components of the pairs (union-find), each as (index, best ratio) members.

    Members come largest similarity first (ties in index order), after the cluster's first
    index, which leads; clusters come in the order of their first index."""
    parent = list(range(count))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    best: dict[int, float] = {}
    for i, j, ratio in pairs:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
        best[i] = max(best.get(i, 0.0), ratio)
        best[j] = max(best.get(j, 0.0), ratio)
    groups: defaultdict[int, list[int]] = defaultdict(list)
    for k in sorted(best):
        groups[root(k)].append(k)
    result = []
    for first in sorted(groups):
        members = groups[first]
        rest = sorted(members[1:], key=lambda k: (-best[k], k))
        result.append([(k, best[k]) for k in [members[0], *rest]])
    return result
