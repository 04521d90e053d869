"""Clothes as colours: each skin vertex takes the colour of the garment over the bone that moves it most."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Bone-name prefixes covered by each garment; everything else is skin.
_SHIRT = ("spine", "clavicle", "shoulder01", "upperarm01", "neck01")
_LEGGINGS = ("root", "pelvis", "upperleg", "lowerleg")
_SHOES = ("foot", "toe")
_HAIR = ("head",)


@dataclass(frozen=True)
class Outfit:
    """RGB colours (0..255) of a person's clothes and skin."""

    shirt: tuple[int, int, int] = (40, 90, 170)
    leggings: tuple[int, int, int] = (45, 45, 55)
    shoes: tuple[int, int, int] = (235, 235, 235)
    skin: tuple[int, int, int] = (214, 170, 140)
    hair: tuple[int, int, int] = (60, 40, 30)


def vertex_colours(
    vertex_bones: np.ndarray,
    bone_labels: tuple[str, ...],
    outfit: Outfit,
    hair_mask: np.ndarray | None = None,
) -> np.ndarray:
    """(V, 3) uint8 colour of each vertex.

    Args:
        vertex_bones: (V,) index into ``bone_labels`` of the bone that moves each vertex most.
        bone_labels: (B,) bone names.
        outfit: the colours.
        hair_mask: (V,) bool, vertices of the scalp to colour as hair, or None for none.
    """
    garment_of_bone = np.array(
        [
            outfit.shirt
            if label.startswith(_SHIRT)
            else outfit.leggings
            if label.startswith(_LEGGINGS)
            else outfit.shoes
            if label.startswith(_SHOES)
            else outfit.skin
            for label in bone_labels
        ],
        dtype=np.uint8,
    )
    colours = garment_of_bone[vertex_bones]
    if hair_mask is not None:
        colours[hair_mask] = outfit.hair
    return colours


def scalp_mask(vertices: np.ndarray, vertex_bones: np.ndarray, bone_labels: tuple[str, ...]) -> np.ndarray:
    """(V,) bool: head vertices above the ears or behind them, in a standing pose.

    Args:
        vertices: (V, 3) standing vertices, world frame (y up, z forward).
        vertex_bones, bone_labels: as in `vertex_colours`.
    """
    head_bones = [i for i, label in enumerate(bone_labels) if label.startswith(_HAIR)]
    on_head = np.isin(vertex_bones, head_bones)
    if not on_head.any():
        return on_head
    head = vertices[on_head]
    top, bottom = head[:, 1].max(), head[:, 1].min()
    front, back = head[:, 2].max(), head[:, 2].min()
    above_brow = vertices[:, 1] > bottom + 0.72 * (top - bottom)
    behind_ears = (vertices[:, 2] < back + 0.45 * (front - back)) & (
        vertices[:, 1] > bottom + 0.35 * (top - bottom)
    )
    return on_head & (above_brow | behind_ears)
