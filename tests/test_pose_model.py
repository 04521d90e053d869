"""Finding and checking the pose model bundle (no model is run here)."""

from __future__ import annotations

import hashlib
import zipfile

import pytest

from formcheck.errors import FormcheckError
from formcheck.pose.model import BUNDLED_MODEL_NAME, load_model
from tests.conftest import REPO

BUNDLE_SHA256 = "045d4f9de13e6f776518d1681d0284349eb58333008b68efd33073607a3892bb"


def test_the_bundled_model_is_found_through_the_package_and_is_the_published_build():
    model = load_model()
    assert model.name == BUNDLED_MODEL_NAME
    assert hashlib.sha256(model.data).hexdigest() == BUNDLE_SHA256


def test_a_model_path_is_named_after_its_file(tmp_path):
    copy = tmp_path / "pose_landmarker_heavy.task"
    copy.write_bytes((REPO / "models" / "pose_landmarker_full.task").read_bytes())
    assert load_model(copy).name == "pose_landmarker_heavy"


def _zip_with(path, names):
    with zipfile.ZipFile(path, "w") as bundle:
        for name in names:
            bundle.writestr(name, b"not a network")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "absent.task", "does not exist"),
        (lambda tmp: tmp, "cannot be read"),
        (lambda tmp: (tmp / "text.task").write_text("hello") and tmp / "text.task", "not a zip file"),
        (lambda tmp: _zip_with(tmp / "hand.task", ["hand_detector.tflite"]), "lacks pose_detector.tflite"),
    ],
    ids=["missing", "a folder", "not a zip", "another task's bundle"],
)
def test_an_unusable_model_file_is_a_one_line_error_that_says_what_to_pass(tmp_path, make, message):
    with pytest.raises(FormcheckError, match=message) as raised:
        load_model(make(tmp_path))
    assert "pose_landmarker_lite/full/heavy.task" in str(raised.value)
    assert "\n" not in str(raised.value)
