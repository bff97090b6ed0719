"""Faults on a seeded schedule.

`--faults KIND:P,KIND:P,…` gives each request that passed auth and validation a fault with
probability P (the kinds' probabilities add up; at most one fault per request; their sum must
not exceed 1). `METHOD/KIND:P` (`POST/commitdrop:0.5`) draws that fault for requests of that
method only, so a test can lose the answers of creates without losing its reads. `--fault-at N=KIND,…` gives the N-th request (1-based, counting every request
received, refused ones too) that fault, whatever `--faults` would have drawn.

The draw for request N depends only on the seed and N (`random.Random(f"fake-webex/{seed}/{N}")`),
never on what earlier requests drew or were: the same seed and the same request sequence give
the same faults, however many requests were refused or faulted before.

Every kind but `latency`, `commitdrop` and `commit503` answers instead of the route, so a write
that draws it is not applied. `commitdrop` and `commit503` let the request be handled (a write
lands) and then lose the answer: the connection is closed unanswered, or a 503 is sent.
"""
import random
import re

KINDS = ("429", "429date", "429bare", "500", "503", "drop", "latency", "stall", "empty", "garbage", "deep",
         "commitdrop", "commit503")
KIND = re.compile(r"(?:429s(?P<seconds>[0-9]{1,4})|" + "|".join(KINDS) + r")\Z")


class FaultSyntaxError(ValueError):
    pass


def parse_kind(text):
    text = text.strip()
    if not KIND.match(text):
        raise FaultSyntaxError(f"unknown fault kind {text!r} (kinds: {', '.join(KINDS)}, 429sN)")
    return text


def retry_after_seconds(kind):
    """The Retry-After seconds of a 429 kind that sends them: `429` 1 s, `429sN` N s."""
    if kind == "429":
        return 1
    found = KIND.match(kind)
    return int(found["seconds"]) if found and found["seconds"] is not None else None


def parse_faults(text):
    """'429:0.1,POST/503:0.05' -> [("429", 0.1, None), ("503", 0.05, "POST")]"""
    result = []
    if not text:
        return result
    for part in text.split(","):
        if not part.strip():
            continue
        kind, sep, probability = part.rpartition(":")
        if not sep:
            raise FaultSyntaxError(f"--faults entry {part!r} is not KIND:PROBABILITY")
        try:
            value = float(probability)
        except ValueError:
            raise FaultSyntaxError(f"--faults entry {part!r}: {probability!r} is not a number")
        if not 0 <= value <= 1:
            raise FaultSyntaxError(f"--faults entry {part!r}: the probability must be within 0 … 1")
        method, slash, kind = kind.rpartition("/")
        if slash and method not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            raise FaultSyntaxError(f"--faults entry {part!r}: {method!r} is not GET, POST, PUT, PATCH or DELETE")
        result.append((parse_kind(kind), value, method or None))
    if sum(p for _, p, _ in result) > 1 + 1e-9:
        raise FaultSyntaxError("--faults: the probabilities add up to more than 1")
    return result


def parse_fault_at(text):
    """'3=429,7=drop' -> {3: "429", 7: "drop"}"""
    result = {}
    if not text:
        return result
    for part in text.split(","):
        if not part.strip():
            continue
        number, sep, kind = part.partition("=")
        if not sep or not number.strip().isdigit() or int(number) < 1:
            raise FaultSyntaxError(f"--fault-at entry {part!r} is not N=KIND with N ≥ 1")
        if int(number) in result:
            raise FaultSyntaxError(f"--fault-at: request {int(number)} is given twice")
        result[int(number)] = parse_kind(kind)
    return result


class Schedule:
    def __init__(self, seed, faults, fault_at):
        self.seed = seed
        self.faults = faults
        self.fault_at = fault_at

    def fault_for(self, number, method=None):
        """The fault kind of request `number` (of `method`), or None."""
        if number in self.fault_at:
            return self.fault_at[number]
        if not self.faults:
            return None
        draw = random.Random(f"fake-webex/{self.seed}/{number}").random()
        bound = 0.0
        for kind, probability, only in self.faults:
            bound += probability
            if draw < bound:
                return kind if only is None or only == method else None
        return None
