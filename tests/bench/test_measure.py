"""The benchmark's estimator: rounds pair the two sides back to back, and ratios are paired."""

from __future__ import annotations

import itertools

from tests.bench.measure import interleave, paired_ratio


def test_each_round_pairs_the_two_runs_made_back_to_back() -> None:
    clock = itertools.count()
    calls: list[tuple[str, int]] = []

    def side(name: str) -> float:
        tick = next(clock)
        calls.append((name, tick))
        return float(tick)

    mine, theirs = interleave(4, lambda: side("ours"), lambda: side("peer"))
    assert [name for name, _ in calls] == ["ours", "peer", "peer", "ours"] * 2
    assert all(abs(a - b) == 1 for a, b in zip(mine, theirs, strict=True))


def test_a_slow_spell_on_one_round_does_not_move_the_ratio() -> None:
    # Ours costs 1.10x the peer's. The machine ran twice as slow for both sides of rounds 2
    # and 3 and for our side of round 4: a ratio of medians would say 2.2x.
    mine = [1.1, 2.2, 2.2, 2.2, 1.1]
    theirs = [1.0, 2.0, 2.0, 1.0, 1.0]
    assert abs(paired_ratio(mine, theirs) - 1.1) < 1e-9
    assert paired_ratio([2.0, 2.0], [1.0, 4.0]) == 1.25  # two rounds: the mean of their ratios
