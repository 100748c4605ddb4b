"""Random assignment of cases to members within constraints (pure: ids in, ids out).

Each case gets exactly the number of scorers it still needs, never a member excluded from it
(a conflict of interest, an assignment it already has), and the load is balanced: every pick
takes the eligible members with the fewest cases so far, ties broken by a shuffle drawn from
the seed. Cases are served most constrained first (fewest eligible members). The same seed and
the same facts give the same assignment, so a recorded seed lets anyone replay it.

Members have no capacity limit, so the only way to fail is a case with fewer eligible members
than it needs; that case is named and nothing is assigned.
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class Shortfall(Exception):
    case: int
    eligible: int
    needed: int


def allocate(
    cases: Iterable[int],
    members: Iterable[int],
    *,
    need: dict[int, int],
    load: dict[int, int] | None = None,
    excluded: set[tuple[int, int]] = frozenset(),
    seed: int,
) -> dict[int, list[int]]:
    """{case: [members]} for every case with need > 0; `excluded` holds (member, case) pairs;
    `load` the cases each member already has. Raises Shortfall for an impossible case."""
    rng = random.Random(seed)  # noqa: S311  (reproducible from a recorded seed, not a secret)
    members = sorted(set(members))
    rng.shuffle(members)
    rank = {m: i for i, m in enumerate(members)}
    load = {m: (load or {}).get(m, 0) for m in members}
    cases = sorted(set(cases))
    rng.shuffle(cases)
    case_rank = {c: i for i, c in enumerate(cases)}
    eligible = {c: [m for m in members if (m, c) not in excluded] for c in cases}
    for case in cases:
        if len(eligible[case]) < need.get(case, 0):
            raise Shortfall(case, len(eligible[case]), need.get(case, 0))
    result: dict[int, list[int]] = {}
    order = sorted(
        (c for c in cases if need.get(c, 0) > 0),
        key=lambda c: (len(eligible[c]) - need[c], case_rank[c]),
    )
    for case in order:
        picked = sorted(eligible[case], key=lambda m: (load[m], rank[m]))[: need[case]]
        for member in picked:
            load[member] += 1
        result[case] = sorted(picked)
    return result
