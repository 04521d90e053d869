"""What a labelling session holds and how each key changes it; no drawing, no window, no files.

`Labelling` starts from the engine's reps and verdicts (a failed rule is a fault, a passed one
clean, a rule not judged unlabelled), so labelling is mostly confirming. A key press (`press`)
changes the state and may ask the caller to save or quit (`Effect`); playback is the caller's
clock calling `advance` once per frame while `playing`. The labels it yields (`labels`) are the
reps of a label file (`formcheck.io.labels`, design.md §8).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum, StrEnum

import numpy as np

from formcheck.analysis.results import Report, RuleResult
from formcheck.analysis.vocabulary import Side, Status
from formcheck.io.labels import LabelledRep


class Mark(StrEnum):
    """A coach's label of one rule on one rep."""

    FAULT = "fault"
    CLEAN = "clean"
    UNLABELLED = "unlabelled"


# A rule's digit cycles fault -> clean -> unlabelled -> fault.
NEXT_MARK = {Mark.FAULT: Mark.CLEAN, Mark.CLEAN: Mark.UNLABELLED, Mark.UNLABELLED: Mark.FAULT}
MARK_OF_STATUS = {Status.FAILED: Mark.FAULT, Status.PASSED: Mark.CLEAN, Status.NOT_JUDGED: Mark.UNLABELLED}


class Effect(Enum):
    """What a key asks of the caller beyond the state: write the labels, or close the window."""

    SAVE = "save"
    QUIT = "quit"


ESCAPE = "\x1b"
KEYS: dict[str, str] = {
    " ": "play",
    ",": "back",
    ".": "forward",
    "p": "previous",
    "n": "next",
    "x": "drop",
    "a": "add",
    "w": "save",
    "q": "quit",
    ESCAPE: "quit",
}
"""Key character -> action; the digits 1-9 toggle rule k of the current rep."""

KEY_HELP = (
    "space play/pause   , . step a frame   p n previous/next rep   1-9 rule   x not a rep   "
    "a add rep (start, end)   w save   q quit"
)
UNSAVED = "unsaved: w to save, q again to quit"


@dataclass(frozen=True)
class RepLabel:
    """One rep as the coach sees it.

    Attributes:
        first, last: the rep's first and last frame (indices into the clip, inclusive).
        start_s, end_s: its start and end in seconds (the engine's times, or the frames' times).
        side: working side.
        complete: False for a partial rep (kept as the engine found it).
        marks: one `Mark` per rule, in the exercise's rule order.
        dropped: marked as not a rep (left out of the labels).
        engine: the engine's verdict per rule (same order), or None for a rep the coach added.
    """

    first: int
    last: int
    start_s: float
    end_s: float
    side: Side
    complete: bool
    marks: tuple[Mark, ...]
    dropped: bool = False
    engine: tuple[RuleResult, ...] | None = None

    def contains(self, frame: int) -> bool:
        return self.first <= frame <= self.last

    def to_label(self, rule_ids: Sequence[str]) -> LabelledRep:
        """The rep as a label file's rep: times, side, and the rules labelled fault and clean."""
        marked = dict(zip(rule_ids, self.marks, strict=True))
        return LabelledRep(
            start_s=self.start_s,
            end_s=self.end_s,
            side=self.side,
            complete=self.complete,
            faults=frozenset(rule for rule, mark in marked.items() if mark is Mark.FAULT),
            clean=frozenset(rule for rule, mark in marked.items() if mark is Mark.CLEAN),
        )


class Labelling:
    """The labels of one clip being made, the playhead, and the key handling.

    Attributes:
        rule_ids: the exercise's rules, numbered 1.. in this order on the keys.
        times: (N,) seconds of the clip's frames, increasing.
        frame: the playhead, 0..N-1.
        playing: the clip plays (the caller advances it).
        reps: every rep, ordered by first frame, dropped ones included.
        current: index into ``reps`` of the rep the keys act on, or None when there is none.
        pending_start: the frame of a first ``a`` awaiting its second, or None.
        message: one line for the coach about the last key ("" for none).
        saved_to: where the labels were last saved, or None before the first save.
    """

    def __init__(
        self,
        rule_ids: Sequence[str],
        times: np.ndarray,
        reps: Sequence[RepLabel],
        *,
        side: Side | None = None,
    ) -> None:
        if len(times) == 0:
            raise ValueError("a clip to label needs at least one frame")
        self.rule_ids = tuple(rule_ids)
        self.times = np.asarray(times, dtype=np.float64)
        self.reps = sorted(reps, key=lambda rep: rep.first)
        self._side = side
        self.frame = 0
        self.playing = False
        self.current: int | None = 0 if self.reps else None
        self.pending_start: int | None = None
        self.message = ""
        self.saved_to: str | None = None
        self._quit_asked = False
        self._saved = self.labels()

    @classmethod
    def from_report(
        cls, report: Report, rule_ids: Sequence[str], times: np.ndarray, *, side: Side | None = None
    ) -> Labelling:
        """Start from the engine's reps: failed rules faults, passed ones clean, the rest unlabelled."""
        reps = []
        for rep in report.reps:
            by_id = {result.id: result for result in rep.rules}
            results = tuple(by_id[rule] for rule in rule_ids)
            reps.append(
                RepLabel(
                    first=_frame_at(times, rep.start_s),
                    last=_frame_at(times, rep.end_s),
                    start_s=rep.start_s,
                    end_s=rep.end_s,
                    side=rep.side,
                    complete=rep.complete,
                    marks=tuple(MARK_OF_STATUS[result.status] for result in results),
                    engine=results,
                )
            )
        return cls(rule_ids, times, reps, side=side)

    @property
    def dirty(self) -> bool:
        """The labels differ from those last saved (or from the start, before any save)."""
        return self.labels() != self._saved

    def labels(self) -> list[LabelledRep]:
        """The reps of the label file: every rep not dropped, in time order."""
        return [rep.to_label(self.rule_ids) for rep in self.reps if not rep.dropped]

    def saved(self, where: str) -> None:
        """The caller wrote `labels()` to ``where``."""
        self._saved = self.labels()
        self.saved_to = where
        self.message = f"saved {where}"

    def advance(self) -> None:
        """One frame of playback; stops at the last frame."""
        if self.frame >= len(self.times) - 1:
            self.playing = False
            return
        self._move_to(self.frame + 1)

    def press(self, key: str) -> Effect | None:
        """Apply one key (a character; Esc is ``ESCAPE``); returns what the caller must do, if anything."""
        action = "toggle" if len(key) == 1 and key in "123456789" else KEYS.get(key)
        if action is None:
            return None
        quit_asked, self._quit_asked = self._quit_asked, False
        self.message = ""
        if action == "quit":
            if self.dirty and not quit_asked:
                self._quit_asked = True
                self.message = UNSAVED
                return None
            return Effect.QUIT
        if action == "save":
            return Effect.SAVE
        if action == "play":
            self.playing = not self.playing
        elif action in ("back", "forward"):
            self.playing = False
            self._move_to(self.frame + (1 if action == "forward" else -1))
        elif action in ("previous", "next"):
            self._jump(forward=action == "next")
        elif action == "toggle":
            self._toggle(int(key) - 1)
        elif action == "drop":
            self._drop()
        elif action == "add":
            self._add()
        return None

    def _move_to(self, frame: int) -> None:
        self.frame = int(np.clip(frame, 0, len(self.times) - 1))
        # The keys act on the rep under the playhead; between reps, on the last one it was in.
        if self.current is not None and self.reps[self.current].contains(self.frame):
            return
        for i, rep in enumerate(self.reps):
            if rep.contains(self.frame):
                self.current = i
                return

    def _jump(self, *, forward: bool) -> None:
        self.playing = False
        if forward:
            targets = [i for i, rep in enumerate(self.reps) if rep.first > self.frame]
        else:
            targets = [i for i, rep in enumerate(self.reps) if rep.first < self.frame]
        if not targets:
            self.message = "no later rep" if forward else "no earlier rep"
            return
        self.current = targets[0] if forward else targets[-1]
        self.frame = self.reps[self.current].first

    def _editable(self) -> RepLabel | None:
        if self.current is None:
            self.message = "no rep here: a marks the start of one, a again its end"
            return None
        rep = self.reps[self.current]
        if rep.dropped:
            self.message = f"rep {self.current + 1} is marked not a rep: x to restore it"
            return None
        return rep

    def _toggle(self, rule: int) -> None:
        if rule >= len(self.rule_ids):
            self.message = f"this exercise has {len(self.rule_ids)} rules (keys 1-{len(self.rule_ids)})"
            return
        rep = self._editable()
        if rep is None:
            return
        marks = list(rep.marks)
        marks[rule] = NEXT_MARK[marks[rule]]
        self.reps[self.current] = replace(rep, marks=tuple(marks))
        self.message = f"rep {self.current + 1}: {self.rule_ids[rule]} {marks[rule]}"

    def _drop(self) -> None:
        if self.current is None:
            self.message = "no rep here"
            return
        rep = self.reps[self.current]
        self.reps[self.current] = replace(rep, dropped=not rep.dropped)
        self.message = f"rep {self.current + 1}: " + ("restored" if rep.dropped else "not a rep")

    def _add(self) -> None:
        if self.pending_start is None:
            self.pending_start = self.frame
            self.message = f"rep start at {self.times[self.frame]:.2f} s: a again at its end"
            return
        if self.frame == self.pending_start:
            self.message = "a rep ends after it starts: step on, then a"
            return
        first, last = sorted((self.pending_start, self.frame))
        side = self._side or self._nearest_engine_side(first, last)
        if side is None:
            self.pending_start = None
            self.message = "no side for this rep (the engine found none): start again with --side"
            return
        self.pending_start = None
        rep = RepLabel(
            first=first,
            last=last,
            start_s=float(self.times[first]),
            end_s=float(self.times[last]),
            side=side,
            complete=True,
            marks=(Mark.UNLABELLED,) * len(self.rule_ids),
        )
        self.reps.append(rep)
        self.reps.sort(key=lambda r: r.first)
        self.current = next(i for i, r in enumerate(self.reps) if r is rep)
        self.message = f"added rep {self.current + 1}: {rep.start_s:.2f}-{rep.end_s:.2f} s"

    def _nearest_engine_side(self, first: int, last: int) -> Side | None:
        middle = (first + last) / 2
        found = [rep for rep in self.reps if rep.engine is not None]
        if not found:
            return None
        return min(found, key=lambda rep: abs((rep.first + rep.last) / 2 - middle)).side


def _frame_at(times: np.ndarray, t: float) -> int:
    """The frame whose time is nearest ``t``."""
    return int(np.argmin(np.abs(np.asarray(times) - t)))
