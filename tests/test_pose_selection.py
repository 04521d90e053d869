"""PersonSelector: the most prominent person first, then the nearest to the last one chosen."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from formcheck.core.landmarks import NUM_LANDMARKS
from formcheck.pose.selection import FORGET_S, PersonSelector, prominence


def person(centre_x: float, centre_y: float, height: float) -> np.ndarray:
    """(33, 2) landmarks spread over a box ``height`` tall and half as wide, around a centre."""
    rng = np.random.default_rng(int(centre_x * 1000 + centre_y))
    offsets = rng.uniform(-0.5, 0.5, (NUM_LANDMARKS, 2)) * (height / 2, height)
    # Pin two landmarks to the corners so the box is exactly height/2 x height.
    offsets[0] = (-height / 4, -height / 2)
    offsets[32] = (height / 4, height / 2)
    # Shoulders and hips around the centre: the torso is centred on it and height / 4 long.
    offsets[[11, 12, 23, 24]] = [(-height / 8, -height / 8), (height / 8, -height / 8),
                                 (-height / 8, height / 8), (height / 8, height / 8)]  # fmt: skip
    return np.array([centre_x, centre_y]) + offsets


def visible(count: int = 1) -> np.ndarray:
    return np.ones((count, NUM_LANDMARKS))


# Each case: people per frame as (centre x, centre y, height) in pixels, and the index
# expected to be chosen in each frame.
CASES = {
    "a lone person is chosen": ([[(300, 400, 200)]], [0]),
    "the biggest person is chosen first, whatever the order": (
        [[(300, 400, 150), (900, 400, 400), (600, 300, 100)]],
        [1],
    ),
    "then the nearest one, even when someone bigger appears": (
        [[(300, 400, 300)], [(900, 400, 600), (310, 405, 300)], [(320, 410, 300), (880, 400, 600)]],
        [0, 1, 0],
    ),
    "the person is followed as they walk across": (
        [
            [(100, 400, 300), (700, 400, 200)],
            [(700, 400, 200), (250, 400, 300)],
            [(420, 400, 300), (700, 400, 200)],
        ],
        [0, 1, 0],
    ),
}


@pytest.mark.parametrize(("frames", "expected"), CASES.values(), ids=CASES.keys())
def test_selector_chooses(frames, expected):
    selector = PersonSelector()
    chosen = []
    for second, people in enumerate(frames):
        xy = np.stack([person(*p) for p in people])
        chosen.append(selector.choose(xy, visible(len(people)), t=float(second)))
    assert chosen == expected


def test_prominence_measures_only_visible_landmarks():
    xy = np.stack([person(300, 400, 200), person(800, 400, 200)])
    visibility = visible(2)
    # The second person's far corner is hidden: its visible box shrinks.
    visibility[1, 32] = 0.1
    areas = prominence(xy, visibility)
    assert areas[0] == pytest.approx(100 * 200)
    assert areas[1] < areas[0]


def test_a_person_seen_only_faintly_is_measured_on_all_landmarks():
    xy = person(300, 400, 200)[None]
    assert prominence(xy, np.zeros((1, NUM_LANDMARKS)))[0] == pytest.approx(100 * 200)


def test_choose_needs_someone():
    with pytest.raises(ValueError, match="at least one person"):
        PersonSelector().choose(np.empty((0, NUM_LANDMARKS, 2)), np.empty((0, NUM_LANDMARKS)), t=0.0)


def test_people_of_equal_size_are_chosen_by_position_not_by_the_model_order():
    # Hypothesis found this tie: both boxes measure exactly 1250 px², so the model's order decided.
    people = [person(200, 400, 50.0), person(500, 400, 50.00000000000001)]
    assert prominence(np.stack(people), visible(2)).tolist() == [1250.0, 1250.0]
    assert PersonSelector().choose(np.stack(people), visible(2), t=0.0) == 0
    listed_second = PersonSelector().choose(np.stack(people[::-1]), visible(2), t=0.0)
    assert listed_second == 1, "the leftmost, listed second"


def test_a_bystander_as_far_away_as_the_person_does_not_win_by_being_listed_first():
    alone = np.round(person(400, 400, 200))  # whole pixels, so that both distances are exactly 50
    # Two people exactly as far from where the person was: the leftmost is kept, in either order.
    step = np.array([50.0, 0.0])
    pair = [alone + step, alone - step]
    for people, leftmost in ((pair, 1), (pair[::-1], 0)):
        selector = PersonSelector()
        selector.choose(alone[None], visible(), t=0.0)
        assert selector.choose(np.stack(people), visible(2), t=0.0) == leftmost


@given(
    heights=st.lists(st.floats(50, 500), min_size=1, max_size=4, unique=True),
    order=st.randoms(use_true_random=False),
)
def test_the_same_person_is_chosen_whatever_order_the_model_lists_people_in(heights, order):
    people = [person(200 + 300 * i, 400, h) for i, h in enumerate(heights)]
    permutation = list(range(len(people)))
    order.shuffle(permutation)
    first = PersonSelector().choose(np.stack(people), visible(len(people)), t=0.0)
    shuffled_people = np.stack([people[i] for i in permutation])
    shuffled = PersonSelector().choose(shuffled_people, visible(len(people)), t=0.0)
    assert permutation[shuffled] == first


def _alone(selector: PersonSelector, centre: tuple[float, float], t: float) -> int | None:
    return selector.choose(person(*centre, 400)[None], visible(), t=t)


def test_someone_seen_further_away_than_the_person_could_travel_is_not_the_person():
    # Torso 100 px long: within 1/30 s the person can be 100 + 4 * 100 / 30 = 113 px away.
    selector = PersonSelector()
    assert _alone(selector, (400, 400), t=0.0) == 0
    assert _alone(selector, (1400, 500), t=1 / 30) is None, "a bystander, the person hidden"
    assert _alone(selector, (1400, 500), t=0.5) is None, "still too far for half a second"
    assert _alone(selector, (480, 420), t=0.6) == 0, "the person, back where they could be"


def test_the_person_may_come_back_anywhere_after_being_gone_a_while():
    selector = PersonSelector()
    _alone(selector, (400, 400), t=0.0)
    assert _alone(selector, (1600, 400), t=FORGET_S - 0.1) is None
    assert _alone(selector, (1600, 400), t=FORGET_S + 0.1) == 0
    assert _alone(selector, (1610, 400), t=FORGET_S + 0.2) == 0, "and is followed from there"
