"""Finding and loading the pose model bundle (a MediaPipe ``.task`` file).

The default is the bundle shipped inside the package (``formcheck/models/``, a symlink to
the repository's ``models/`` that wheels turn into a real file), found through
``importlib.resources`` so that it works from any working directory.  Any official
``pose_landmarker_{lite,full,heavy}.task`` can be passed instead.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from formcheck.errors import FormcheckError

BUNDLED_MODEL_NAME = "pose_landmarker_full"
_EXPECTED_ENTRIES = {"pose_detector.tflite", "pose_landmarks_detector.tflite"}
_WHAT_TO_PASS = (
    "pass an official pose_landmarker_lite/full/heavy.task bundle, "
    "or leave --model out to use the bundled one"
)


@dataclass(frozen=True)
class PoseModel:
    """A pose landmarker bundle held in memory.

    Attributes:
        name: the file stem, recorded in every pose track (e.g. ``pose_landmarker_full``).
        data: the bytes of the ``.task`` file (a zip of the detector and landmark networks).
        origin: where it was read from, for error messages.
    """

    name: str
    data: bytes
    origin: str


def load_model(path: Path | None = None) -> PoseModel:
    """Read the bundle at ``path``, or the bundled full model when ``path`` is None.

    Checks that the file is a zip holding the two pose networks, so that a wrong file
    fails here with a clear message rather than inside MediaPipe.
    """
    if path is None:
        resource = resources.files("formcheck").joinpath(f"models/{BUNDLED_MODEL_NAME}.task")
        try:
            data = resource.read_bytes()
        except OSError as error:
            raise FormcheckError(
                f"the bundled pose model is missing ({error}); reinstall formcheck or pass --model PATH"
            ) from error
        return _checked(PoseModel(BUNDLED_MODEL_NAME, data, f"formcheck's bundled {BUNDLED_MODEL_NAME}.task"))
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise model_error(str(path), "does not exist") from error
    except OSError as error:
        raise model_error(str(path), f"cannot be read ({error.strerror})") from error
    return _checked(PoseModel(path.stem, data, str(path)))


def _checked(model: PoseModel) -> PoseModel:
    try:
        with zipfile.ZipFile(io.BytesIO(model.data)) as bundle:
            entries = set(bundle.namelist())
    except zipfile.BadZipFile as error:
        raise model_error(model.origin, "is not a MediaPipe .task bundle (not a zip file)") from error
    missing = _EXPECTED_ENTRIES - entries
    if missing:
        raise model_error(
            model.origin, f"is not a pose landmarker bundle (it lacks {', '.join(sorted(missing))})"
        )
    return model


def model_error(origin: str, problem: str) -> FormcheckError:
    """The error for a model file that cannot be used: what is wrong with it, and what to pass."""
    return FormcheckError(f"model {origin} {problem}; {_WHAT_TO_PASS}")
