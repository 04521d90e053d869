"""Signals every exercise draws on: joint bends, leans and body-size-normalised distances.

Each function maps a `Body` of N frames to an (N,) array, in one vectorised pass. Distances
are divided by a body segment measured in the same frame (shin or thigh length), so one
threshold fits a tall and a short person, near the camera or far from it. Horizontal
distances on the image plane are signed along the way the person faces (heel -> toe), so
"forward" means the same thing whichever way they stand.
"""

from __future__ import annotations

import numpy as np

from formcheck.analysis.body import Body
from formcheck.core import geometry
from formcheck.core.landmarks import Landmark as L


def lm(name: str, side: str) -> L:
    """The landmark ``name`` (e.g. ``knee``) on ``side``."""
    return L[f"{side.upper()}_{name.upper()}"]


def other(side: str) -> str:
    return "right" if side == "left" else "left"


def knee_flexion(body: Body, side: str, sideness: np.ndarray) -> np.ndarray:
    """Knee bend in degrees, 0 = straight leg."""
    return body.flexion(lm("hip", side), lm("knee", side), lm("ankle", side), sideness)


def hip_flexion(body: Body, side: str, sideness: np.ndarray) -> np.ndarray:
    """Angle between trunk and thigh in degrees, 0 = standing tall, negative = thigh behind the trunk
    (the rear leg of a split stance). Trunk and thigh bends both count.

    The sign comes from which way the thigh turns from the trunk line about the body's left-right
    axis: from the facing direction on the image, from the hip line in the world.
    """
    shoulder, hip, knee = lm("shoulder", side), lm("hip", side), lm("knee", side)

    def signed(points: np.ndarray, left_axis: np.ndarray) -> np.ndarray:
        trunk_down, thigh = points[:, hip] - points[:, shoulder], points[:, knee] - points[:, hip]
        turn = np.sign(np.sum(np.cross(trunk_down, thigh) * left_axis, axis=-1))
        return -turn * geometry.angle_between(trunk_down, thigh)

    flat = np.concatenate([body.image[..., :2], np.zeros((*body.image.shape[:2], 1))], axis=2)
    image_left = np.zeros((len(body), 3))
    image_left[:, 2] = facing(body, side)
    world_left = body.world[:, L.LEFT_HIP] - body.world[:, L.RIGHT_HIP]
    return body.blend(signed(flat, image_left), signed(body.world, world_left), sideness)


def trunk_lean(body: Body, sideness: np.ndarray) -> np.ndarray:
    """Trunk (hip centre -> shoulder centre) angle from vertical in degrees, 0 = upright."""
    return body.lean((L.LEFT_HIP, L.RIGHT_HIP), (L.LEFT_SHOULDER, L.RIGHT_SHOULDER), sideness)


def facing(body: Body, side: str | None = None) -> np.ndarray:
    """(N,) +1 where the person faces image +x, -1 where they face -x (meaningful side-on).

    Votes of both feet (heel -> toe) and of the nose ahead of the shoulders, each as a unit
    direction; the nose counts 1.5 so that one foot laid laces-down on a block (toes pointing
    back) cannot flip it. ``side`` is accepted for symmetry with the sided signals and unused:
    the whole body faces one way.
    """
    del side

    def unit_x(start: np.ndarray, end: np.ndarray) -> np.ndarray:
        d = end - start
        return np.nan_to_num(d[:, 0] / np.hypot(d[:, 0], d[:, 1]))

    shoulders = geometry.midpoint(body.img(L.LEFT_SHOULDER), body.img(L.RIGHT_SHOULDER))
    votes = (
        unit_x(body.img(L.LEFT_HEEL), body.img(L.LEFT_FOOT_INDEX))
        + unit_x(body.img(L.RIGHT_HEEL), body.img(L.RIGHT_FOOT_INDEX))
        + 1.5 * unit_x(shoulders, body.img(L.NOSE))
    )
    return np.where(np.isfinite(body.img(L.NOSE)[:, 0]) | (votes != 0), np.sign(votes), np.nan)


def shin_length(body: Body, side: str) -> np.ndarray:
    """Image-plane shin length (knee to ankle) in image heights; the body-size unit side-on."""
    return geometry.distance(body.img(lm("knee", side)), body.img(lm("ankle", side)))


def thigh_length(body: Body, side: str) -> np.ndarray:
    return geometry.distance(body.img(lm("hip", side)), body.img(lm("knee", side)))


def knee_ahead_of_toes(body: Body, side: str) -> np.ndarray:
    """How far the knee is ahead of the toes along the way the person faces, in image heights.

    Negative: knee behind the toes; positive: knee past them. Image plane, so side-on only.
    """
    return (body.img(lm("knee", side))[:, 0] - body.img(lm("foot_index", side))[:, 0]) * facing(body, side)


def knee_past_toes(body: Body, side: str) -> np.ndarray:
    """`knee_ahead_of_toes` in shin lengths."""
    return knee_ahead_of_toes(body, side) / shin_length(body, side)


# A foot side-on spans ~0.5 shin lengths (~0.3 in a landscape table read as square); below 0.15 it
# is seen end-on or mis-placed. On the lunge table 130 of 2,801 rows are (nearly all `L`, knees far
# past the toes): floored, they read up to 9 foot lengths instead of up to 870.
FOOT_MIN_SHINS = 0.15


def knee_past_toes_in_feet(body: Body, side: str) -> np.ndarray:
    """`knee_ahead_of_toes` in foot lengths: the heel -> toe distance along the image x axis.

    Both distances are horizontal, so the ratio holds when the camera's aspect ratio is unknown (a
    landmark table) and when the person stands turned from side-on (both shrink by the same
    cosine), where a vertical shin does not shrink. 0 = knee above the toes, -1 = above the heel.
    A foot seen end-on (or its toe point lost) looks shorter than `FOOT_MIN_SHINS` shin lengths
    and is taken as that long, so that a near-zero foot cannot blow the figure up to hundreds.
    """
    foot = np.abs(body.img(lm("foot_index", side))[:, 0] - body.img(lm("heel", side))[:, 0])
    return knee_ahead_of_toes(body, side) / np.maximum(foot, FOOT_MIN_SHINS * shin_length(body, side))


def hips_behind_ankle(body: Body, side: str) -> np.ndarray:
    """How far the hip centre is behind the ankle of ``side``, in thigh lengths (image, side-on)."""
    hip_x = geometry.midpoint(body.img(L.LEFT_HIP), body.img(L.RIGHT_HIP))[:, 0]
    behind = (body.img(lm("ankle", side))[:, 0] - hip_x) * facing(body, side)
    return behind / thigh_length(body, side)


def ankle_forward(body: Body, side: str) -> np.ndarray:
    """Ankle position along the facing direction, image heights; its change over a rep shows a foot moving."""
    return body.img(lm("ankle", side))[:, 0] * facing(body, side)


def heel_lift(body: Body, side: str) -> np.ndarray:
    """Height of the heel above the toes, in shin lengths (image, side-on); ~0 with the foot flat."""
    return (body.img(lm("foot_index", side))[:, 1] - body.img(lm("heel", side))[:, 1]) / shin_length(
        body, side
    )


def neck_bend(body: Body, sideness: np.ndarray) -> np.ndarray:
    """Angle in degrees between the trunk line and the shoulder -> ear line; 0 = head in line."""
    shoulders = (L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    image_value = geometry.angle_between(
        body.midpoint_of(body.image, shoulders)[:, :2]
        - body.midpoint_of(body.image, (L.LEFT_HIP, L.RIGHT_HIP))[:, :2],
        body.midpoint_of(body.image, (L.LEFT_EAR, L.RIGHT_EAR))[:, :2]
        - body.midpoint_of(body.image, shoulders)[:, :2],
    )
    world_value = geometry.angle_between(
        body.midpoint_of(body.world, shoulders) - body.midpoint_of(body.world, (L.LEFT_HIP, L.RIGHT_HIP)),
        body.midpoint_of(body.world, (L.LEFT_EAR, L.RIGHT_EAR)) - body.midpoint_of(body.world, shoulders),
    )
    return body.blend(image_value, world_value, sideness)


def clam_opening(body: Body, sideness: np.ndarray) -> np.ndarray:
    """Angle at the midpoint of the ankles between the two knees, in degrees: how far a clamshell
    is open, hinged where it hinges (at the feet). The ankles, not the heels: with the feet
    stacked towards the camera the model sees the heels poorly (visibility ~0.4).

    With the knees together it still reads 5-20 degrees, set by the thickness of the thighs;
    the clamshell counts from that rest level (`Exercise.counted_from_rest`)."""

    def opening(points: np.ndarray) -> np.ndarray:
        ankles = geometry.midpoint(points[:, L.LEFT_ANKLE], points[:, L.RIGHT_ANKLE])
        return geometry.angle_at(points[:, L.LEFT_KNEE], ankles, points[:, L.RIGHT_KNEE])

    return body.blend(opening(body.image[..., :2]), opening(body.world), sideness)


def pelvis_roll(body: Body) -> np.ndarray:
    """How far the hip line tips out of the image plane, degrees; + = upper hip away from the camera.

    For a side-lying person facing the camera (clamshell) this is the pelvis rolling back.
    World depth where present, else MediaPipe's image z.
    """
    points = body.world_or_image()
    left, right = points[:, L.LEFT_HIP], points[:, L.RIGHT_HIP]
    # "Upper" is the hip higher up (smaller y); the sign makes rolling back positive either way up.
    upper_is_left = left[:, 1] < right[:, 1]
    upper = np.where(upper_is_left[:, None], left, right)
    lower = np.where(upper_is_left[:, None], right, left)
    line = upper - lower
    return np.degrees(np.arctan2(line[:, 2], np.hypot(line[:, 0], line[:, 1])))


def pelvis_tilt(body: Body) -> np.ndarray:
    """How far the hip line tips from level about the body's long axis, degrees; + = right hip lower.

    Measured on the vertical alone (y, down in both frames), so it reads the same whichever way
    the person faces or lies: for a person lying on their back it is the pelvis dropping or
    rocking to one side. World landmarks where present: side-on the hip line points at the
    camera and only MediaPipe's 3D guess sees how it tips. A level camera is assumed.
    """
    points = body.world_or_image()
    line = points[:, L.RIGHT_HIP] - points[:, L.LEFT_HIP]
    return np.degrees(np.arcsin(np.clip(line[:, 1] / np.linalg.norm(line, axis=1), -1.0, 1.0)))


def sagittal(points: np.ndarray) -> np.ndarray:
    """(N, 33, 3) world points with their component along the hip line removed: the body seen
    exactly from the side. The shoulders sit wider than the hips, so an unprojected
    shoulder-hip-knee angle reads ~10 degrees of sideways bend even with the three in line."""
    across = points[:, L.LEFT_HIP] - points[:, L.RIGHT_HIP]
    across = across / np.linalg.norm(across, axis=1, keepdims=True)
    return points - np.sum(points * across[:, None], axis=2, keepdims=True) * across[:, None]


def hip_bend(body: Body, side: str, sideness: np.ndarray) -> np.ndarray:
    """Unsigned angle between trunk and thigh of ``side`` in the sagittal plane, degrees; 0 =
    shoulder, hip and knee in a line. Unlike `hip_flexion` it needs no facing direction, which a
    body lying on its back does not show (its toes and nose do not point along the image x)."""
    return np.abs(_hip_line_bend(body, side, sideness))


def hip_above_line(body: Body, side: str, sideness: np.ndarray) -> np.ndarray:
    """How far the hip of ``side`` rises above the shoulder -> knee line, as an angle in degrees
    (sagittal plane): + = above it (the shoulder-hip-knee line bowed upwards), - = below it.

    For a person lying on their back with the hips lifted (a bridge); "above" is against gravity
    (-y on the image and in the world), so a level camera is assumed.
    """
    return _hip_line_bend(body, side, sideness)


def _hip_line_bend(body: Body, side: str, sideness: np.ndarray) -> np.ndarray:
    shoulder, hip, knee = lm("shoulder", side), lm("hip", side), lm("knee", side)

    def signed(points: np.ndarray) -> np.ndarray:
        along = points[:, knee] - points[:, shoulder]
        to_hip = points[:, hip] - points[:, shoulder]
        share = np.sum(to_hip * along, axis=1) / np.sum(along * along, axis=1)
        below = to_hip[:, 1] - share * along[:, 1]
        return -np.sign(below) * geometry.flexion_at(points[:, shoulder], points[:, hip], points[:, knee])

    return body.blend(signed(body.image[..., :2]), signed(sagittal(body.world)), sideness)


def feet_gap(body: Body) -> np.ndarray:
    """Distance between the ankles in shin lengths (world where present, else image); it grows
    when the feet of a side-lying person part."""
    points = body.world_or_image()
    gap = geometry.distance(points[:, L.LEFT_ANKLE], points[:, L.RIGHT_ANKLE])
    shin = (
        geometry.distance(points[:, L.LEFT_KNEE], points[:, L.LEFT_ANKLE])
        + geometry.distance(points[:, L.RIGHT_KNEE], points[:, L.RIGHT_ANKLE])
    ) / 2
    return gap / shin


def separation(body: Body, name: str) -> np.ndarray:
    """Distance between the left and right ``name`` landmarks (e.g. ``heel``) on the image plane, in
    shin lengths (the mean of both image shins).

    For left-right gaps seen front-on or from above, where the gap lies in the image plane: there
    the image is exact while the world landmarks add the model's depth guesses.
    """
    shin = (shin_length(body, "left") + shin_length(body, "right")) / 2
    return geometry.distance(body.img(lm(name, "left")), body.img(lm(name, "right"))) / shin


def shin_spread(body: Body, sideness: np.ndarray) -> np.ndarray:
    """Angle in degrees between the two shins (knee -> ankle); about twice each hip's rotation when
    the knees stay together and bent (0 with the shins parallel)."""

    def spread(points: np.ndarray) -> np.ndarray:
        return geometry.angle_between(
            points[:, L.LEFT_ANKLE] - points[:, L.LEFT_KNEE],
            points[:, L.RIGHT_ANKLE] - points[:, L.RIGHT_KNEE],
        )

    return body.blend(spread(body.image[..., :2]), spread(body.world), sideness)


def trunk_over_shoulder_width(body: Body) -> np.ndarray:
    """Image length of the trunk (shoulder centre to hip centre) over the image shoulder width.

    For a body lying face up and filmed from beyond the feet, it grows with how steeply the
    camera looks down: ~0.85 from 1.8 m up and 2.4 m away (the trunk runs away from the lens),
    ~1.35 from nearly overhead (it lies across the picture).
    """
    shoulders = geometry.midpoint(body.img(L.LEFT_SHOULDER), body.img(L.RIGHT_SHOULDER))
    hips = geometry.midpoint(body.img(L.LEFT_HIP), body.img(L.RIGHT_HIP))
    width = geometry.distance(body.img(L.LEFT_SHOULDER), body.img(L.RIGHT_SHOULDER))
    return geometry.distance(shoulders, hips) / width


def hips_off_line(body: Body, side: str) -> np.ndarray:
    """How far the hip centre sits above (+) or below (-) the straight line from the shoulder centre
    to the ``side`` ankle, in thigh lengths of that leg (image, side-on; "above" assumes a level
    camera). In a plank: + = hips piked up, - = hips sagging.
    """
    shoulders = geometry.midpoint(body.img(L.LEFT_SHOULDER), body.img(L.RIGHT_SHOULDER))
    hips = geometry.midpoint(body.img(L.LEFT_HIP), body.img(L.RIGHT_HIP))
    line = body.sided_img("ankle", side) - shoulders
    normal = np.stack([line[:, 1], -line[:, 0]], axis=1) / np.hypot(line[:, 0], line[:, 1])[:, None]
    # Of the line's two normals, the one pointing up the picture (image y points down).
    normal *= np.where(normal[:, 1] > 0, -1.0, 1.0)[:, None]
    return np.sum((hips - shoulders) * normal, axis=1) / thigh_length(body, side)


def knee_valgus(body: Body, side: str) -> np.ndarray:
    """How far the knee sits inside the hip -> ankle line, shin lengths (image, front-on); + = caving in."""
    hip, knee, ankle = (body.img(lm(name, side)) for name in ("hip", "knee", "ankle"))
    # Point on the hip -> ankle line at the knee's height, and "inwards" = towards the other hip.
    fraction = (knee[:, 1] - hip[:, 1]) / (ankle[:, 1] - hip[:, 1])
    line_x = hip[:, 0] + fraction * (ankle[:, 0] - hip[:, 0])
    inwards = np.sign(body.img(lm("hip", other(side)))[:, 0] - hip[:, 0])
    return (knee[:, 0] - line_x) * inwards / shin_length(body, side)


def knees_inside_ankles(body: Body) -> np.ndarray:
    """How far the knees sit inside the ankles, front-on: half of how much narrower the knees
    stand than the ankles across the image, in shin lengths (mean of both legs); + = caving in.

    The stance as a whole rather than each knee against its own foot: a body turned a few
    degrees from the lens moves one knee in and the other out across the picture, which the two
    gaps cancel. A knee over its turned-out toes sits outside its ankle, so a knee inside the
    ankle is inside the whole foot: the valgus a physiotherapist calls. The gaps are unsigned, so
    the leg names do not matter: knees meeting in the picture are named by the model either way
    (on the studio's 30 deg valgus they cross, and it swaps them).
    """
    ankle_gap = np.abs(body.img(L.LEFT_ANKLE)[:, 0] - body.img(L.RIGHT_ANKLE)[:, 0])
    knee_gap = np.abs(body.img(L.LEFT_KNEE)[:, 0] - body.img(L.RIGHT_KNEE)[:, 0])
    shin = (shin_length(body, "left") + shin_length(body, "right")) / 2.0
    return (ankle_gap - knee_gap) / 2.0 / shin


def pick_side(left: np.ndarray, right: np.ndarray, left_is_working: np.ndarray) -> np.ndarray:
    """Per frame, the left value where ``left_is_working`` else the right one."""
    return np.where(left_is_working, left, right)
