"""Exponential backoff with jitter (half fixed, half random), so devices do not retry in step."""
from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    base_seconds: float = 2.0
    max_seconds: float = 300.0
    rng: random.Random = field(default_factory=random.Random)
    attempt: int = 0

    def next_delay(self, at_least: float = 0.0) -> float:
        """The wait before the next try; grows with each failure. `at_least` honours Retry-After."""
        ceiling = min(self.max_seconds, self.base_seconds * (2 ** self.attempt))
        self.attempt += 1
        return max(at_least, self.rng.uniform(ceiling / 2, ceiling))

    def reset(self) -> None:
        self.attempt = 0
