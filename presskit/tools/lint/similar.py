"""Near-duplicate questions at scale: an exact candidate filter, then difflib, then clusters.

difflib's ratio over words is r = 2M/T, where T is the two questions' word counts added and M the
words its matching blocks cover. M is at most the number of words the two share, counted as
multisets (that is difflib's own `quick_ratio`), so r >= t needs at least ceil(t*T/2) shared words.
That bound makes a set-similarity join exact:

- size: the shorter question has at least t/(2-t) times the words of the longer one;
- prefix: mark a word's repeats ("the", "the\x002") so multisets become sets, order every
  question's words rarest first, and keep the first |x| - a + k of them, a = ceil(t*|x|/(2-t))
  being the fewest words x shares with any near-duplicate. If x and y share at least a words,
  the k rarest shared words lie in both prefixes (the prefix lemma of Chaudhuri et al., 2006,
  and "AllPairs", Bayardo et al., 2007, with k = 2 shared words rather than 1).

Only questions that meet k times in an inverted index of prefixes are compared, first by size
and shared words (a set intersection), then with difflib's cheap bounds and full ratio, so the
pairs found are exactly the pairs the all-pairs loop finds, with no recall lost (unlike
MinHash/LSH), and rare words keep the posting lists short.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import chain

Pair = tuple[int, int, float]  # (earlier index, later index, ratio)

_EPSILON = 1e-9  # bounds rounded towards more candidates, never fewer
_PROBE = 2  # shared words looked for among the rarest; more is a stricter filter, longer probes


def _occurrences(tokens: Sequence[str]) -> list[str]:
    """The words as a set: a repeated word's second occurrence is "word\x002", and so on."""
    if len(set(tokens)) == len(tokens):
        return list(tokens)
    seen: Counter[str] = Counter()
    out = []
    for word in tokens:
        seen[word] += 1
        out.append(word if seen[word] == 1 else f"{word}\x00{seen[word]}")
    return out


def _least_shared(size: int, threshold: float) -> int:
    """How many words a question of `size` words shares with any near-duplicate, at least."""
    return max(1, math.ceil(threshold * size / (2 - threshold) - _EPSILON))


def similar_pairs(texts: Sequence[Sequence[str]], threshold: float) -> list[Pair]:
    """Every pair of word lists (not equal ones) whose difflib ratio is at least `threshold`.

    The same pairs as comparing every pair with `difflib.SequenceMatcher(None, a, b,
    autojunk=False).ratio()`, found without comparing every pair."""
    if threshold <= 0:  # everything is alike: nothing to filter
        return all_pairs(texts, threshold)
    sets = [_occurrences(t) for t in texts]
    frequency: Counter[str] = Counter(chain.from_iterable(sets))
    rank = {w: r for r, w in enumerate(sorted(frequency, key=lambda w: (frequency[w], w)))}
    index: defaultdict[str, list[int]] = defaultdict(list)
    low = threshold / (2 - threshold)
    frozen = [frozenset(s) for s in sets]
    pairs: list[Pair] = []
    for j, words in enumerate(sets):
        size = len(words)
        ordered = sorted(words, key=rank.__getitem__)
        least = _least_shared(size, threshold)
        need = min(_PROBE, least)
        counts: Counter[int] = Counter()
        for word in ordered[: size - least + need]:
            counts.update(index[word])
            index[word].append(j)
        for i in sorted(i for i, c in counts.items() if c >= need):
            other = len(sets[i])
            # size, then shared words (difflib's quick_ratio, as a C-level set intersection)
            if min(size, other) + _EPSILON < low * max(size, other):
                continue
            if 2 * len(frozen[i] & frozen[j]) + _EPSILON < threshold * (size + other):
                continue
            pairs.extend(_confirm(texts, [(i, j)], threshold))
    return pairs


def _confirm(
    texts: Sequence[Sequence[str]], candidates: Iterable[tuple[int, int]], threshold: float
) -> list[Pair]:
    """The candidate pairs that difflib confirms, exactly as the all-pairs rule computed them."""
    pairs: list[Pair] = []
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    for i, j in candidates:
        a, b = texts[i], texts[j]
        if a == b:
            continue  # exact duplicates are another rule's
        matcher.set_seqs(a, b)
        if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
            continue
        ratio = matcher.ratio()
        if ratio >= threshold:
            pairs.append((i, j, ratio))
    return pairs


def all_pairs(texts: Sequence[Sequence[str]], threshold: float) -> list[Pair]:
    """The reference: every pair compared (quadratic; for tests and the benchmark only)."""
    return _confirm(texts, ((i, j) for j in range(len(texts)) for i in range(j)), threshold)


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
