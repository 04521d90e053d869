"""The set: floor, mat, props, lights and the camera, rendered off-screen with pyrender.

pyrender draws through OpenGL without a display on Mesa's software EGL (Debian's
``libegl1`` and ``libegl-mesa0``). The platform must be chosen before pyrender is imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from formcheck.synth.camera import Camera

# pyrender picks its OpenGL platform when imported, so this comes before the import.
os.environ.setdefault("PYOPENGL_PLATFORM", "egl")

import pyrender
import trimesh

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Mat:
    """An exercise mat on the floor: centre (x, z) metres, its length along z (or x), width, thickness."""

    centre: tuple[float, float]
    along_z: bool = True
    length: float = 1.9
    width: float = 0.65
    thickness: float = 0.008
    colour: Colour = (120, 60, 140)


@dataclass(frozen=True)
class Block:
    """A box standing on the floor (a step or block under a foot): centre (x, z), size (x, y, z) metres."""

    centre: tuple[float, float]
    size: tuple[float, float, float] = (0.3, 0.3, 0.4)
    colour: Colour = (150, 110, 70)


@dataclass(frozen=True)
class Band:
    """An elastic band drawn as a tube between two landmarks, (a, b) indices into the 33."""

    between: tuple[int, int]
    radius: float = 0.012
    colour: Colour = (220, 60, 60)


@dataclass(frozen=True)
class Ball:
    """A ball held at the midpoint of two landmarks (between the knees), (a, b) indices into the 33."""

    between: tuple[int, int]
    radius: float = 0.07
    colour: Colour = (240, 200, 40)


@dataclass(frozen=True)
class Setting:
    """Everything in the picture but the person.

    Attributes:
        background: RGB of the walls (the renderer's clear colour).
        floor: RGB of the floor (the plane y = 0).
        mat, blocks: static furniture.
        bands, balls: props that follow the body's landmarks each frame.
    """

    background: Colour = (200, 196, 188)
    floor: Colour = (150, 125, 95)
    mat: Mat | None = None
    blocks: tuple[Block, ...] = ()
    bands: tuple[Band, ...] = ()
    balls: tuple[Ball, ...] = ()

    @property
    def ground_level(self) -> float:
        """Height of the surface the person rests on: the mat's top, or the floor."""
        return self.mat.thickness if self.mat is not None else 0.0


def _material(colour: Colour) -> pyrender.MetallicRoughnessMaterial:
    return pyrender.MetallicRoughnessMaterial(
        baseColorFactor=[*(c / 255 for c in colour), 1.0], metallicFactor=0.0, roughnessFactor=0.85
    )


def _box(
    size: tuple[float, float, float], centre: tuple[float, float, float], colour: Colour
) -> pyrender.Mesh:
    box = trimesh.creation.box(extents=size)
    box.apply_translation(centre)
    return pyrender.Mesh.from_trimesh(box, material=_material(colour), smooth=False)


def camera_pose(camera: Camera) -> np.ndarray:
    """(4, 4) camera-to-world matrix in OpenGL's convention (x right, y up, looking along -z)."""
    right, down, forward = camera.world_to_camera()
    pose = np.eye(4)
    pose[:3, 0], pose[:3, 1], pose[:3, 2] = right, -down, -forward
    pose[:3, 3] = camera.position
    return pose


def vertex_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """(V, 3) unit normals, the area-weighted mean of the normals of the faces round each vertex."""
    corners = vertices[faces]
    face_normals = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
    normals = np.zeros_like(vertices)
    for corner in range(3):
        for axis in range(3):
            normals[:, axis] += np.bincount(faces[:, corner], face_normals[:, axis], minlength=len(vertices))
    return normals / np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)


class StudioRenderer:
    """Renders one person in a `Setting` through one `Camera`, frame by frame.

    Args:
        camera: where the picture is taken from, and its size.
        setting: the floor, furniture and props.
        faces: (F, 3) triangle vertex indices of the body.
        colours: (V, 3) uint8 vertex colours of the body.
    """

    def __init__(self, camera: Camera, setting: Setting, faces: np.ndarray, colours: np.ndarray) -> None:
        self._faces = faces
        self._colours = np.concatenate([colours, np.full((len(colours), 1), 255, np.uint8)], axis=1)
        self._body_material = _material((255, 255, 255))
        self._scene = pyrender.Scene(
            bg_color=[*(c / 255 for c in setting.background), 1.0], ambient_light=[0.35, 0.35, 0.35]
        )
        self._scene.add(_box((30.0, 0.02, 30.0), (0.0, -0.01, 0.0), setting.floor))
        if setting.mat is not None:
            mat = setting.mat
            size = (
                (mat.width, mat.thickness, mat.length)
                if mat.along_z
                else (mat.length, mat.thickness, mat.width)
            )
            self._scene.add(_box(size, (mat.centre[0], mat.thickness / 2, mat.centre[1]), mat.colour))
        for block in setting.blocks:
            self._scene.add(
                _box(block.size, (block.centre[0], block.size[1] / 2, block.centre[1]), block.colour)
            )
        self._bands = [
            (
                band,
                self._scene.add(
                    pyrender.Mesh.from_trimesh(
                        trimesh.creation.cylinder(radius=1.0, height=1.0), material=_material(band.colour)
                    )
                ),
            )
            for band in setting.bands
        ]
        self._balls = [
            (
                ball,
                self._scene.add(
                    pyrender.Mesh.from_trimesh(
                        trimesh.creation.icosphere(subdivisions=3, radius=ball.radius),
                        material=_material(ball.colour),
                    )
                ),
            )
            for ball in setting.balls
        ]
        pose = camera_pose(camera)
        self._scene.add(
            pyrender.IntrinsicsCamera(
                fx=camera.focal_px,
                fy=camera.focal_px,
                cx=camera.width / 2,
                cy=camera.height / 2,
                znear=0.05,
                zfar=60.0,
            ),
            pose=pose,
        )
        # A key light from above and behind the camera, a softer fill from the other side.
        self._scene.add(
            pyrender.DirectionalLight(intensity=2.5),
            pose=_light_from(camera.position, np.array([1.5, 3.0, 0.0])),
        )
        self._scene.add(
            pyrender.DirectionalLight(intensity=1.0),
            pose=_light_from(camera.position, np.array([-2.0, 1.0, 0.0])),
        )
        self._body_node: pyrender.Node | None = None
        self._renderer = pyrender.OffscreenRenderer(camera.width, camera.height)

    def render(self, vertices: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
        """(H, W, 3) uint8 RGB picture of the body at ``vertices`` (V, 3), props at ``landmarks`` (33, 3)."""
        primitive = pyrender.Primitive(
            positions=vertices,
            normals=vertex_normals(vertices.astype(np.float64), self._faces).astype(np.float32),
            color_0=self._colours,
            indices=self._faces,
            material=self._body_material,
        )
        if self._body_node is not None:
            self._scene.remove_node(self._body_node)
        self._body_node = self._scene.add(pyrender.Mesh([primitive]))
        for band, node in self._bands:
            node.matrix = _tube_between(landmarks[band.between[0]], landmarks[band.between[1]], band.radius)
        for ball, node in self._balls:
            centre = np.eye(4)
            centre[:3, 3] = landmarks[list(ball.between)].mean(axis=0)
            node.matrix = centre
        colour, _ = self._renderer.render(self._scene)
        return colour

    def close(self) -> None:
        self._renderer.delete()


def _light_from(camera_position: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """(4, 4) pose of a directional light shining from near the camera (plus ``offset``) at the origin."""
    position = camera_position + offset
    view = Camera(position=position, target=np.array([0.0, 0.8, 0.0]))
    return camera_pose(view)


def _tube_between(a: np.ndarray, b: np.ndarray, radius: float) -> np.ndarray:
    """(4, 4) pose that stretches a unit cylinder (radius 1, height 1 along z) from ``a`` to ``b``."""
    axis = b - a
    length = max(float(np.linalg.norm(axis)), 1e-6)
    z = axis / length
    helper = np.array([1.0, 0.0, 0.0]) if abs(z[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    x = np.cross(helper, z)
    x /= np.linalg.norm(x)
    y = np.cross(z, x)
    pose = np.eye(4)
    pose[:3, 0], pose[:3, 1], pose[:3, 2] = x * radius, y * radius, z * length
    pose[:3, 3] = (a + b) / 2
    return pose
