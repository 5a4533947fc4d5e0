"""Derived input features of 2-D points: computed as named, kept by a session file, refused when unknown."""

import numpy as np
import pytest

from visualtrainer.app.session import Session
from visualtrainer.app.session_io import read_session, write_session
from visualtrainer.app.settings import Settings
from visualtrainer.data import DatasetError
from visualtrainer.data.features import derive, plane_of, with_features


def test_each_feature_is_computed_from_the_points_in_a_fixed_order():
    X = np.array([[0.5, -2.0, 3.0], [1.5, 0.25, -1.0]])
    F = derive(X, ["sin x2", "x1*x2", "x1", "x2^2"])  # given in any order: FEATURES' order
    np.testing.assert_array_equal(F, np.vstack([X[0], X[1] ** 2, X[0] * X[1], np.sin(X[1])]))
    with pytest.raises(DatasetError, match="features must be one or more of x1, x2, x1\\^2"):
        derive(X, ["x3"])
    with pytest.raises(DatasetError, match="got \\[\\]"):
        derive(X, [])


def test_a_session_with_derived_features_opens_with_them(tmp_path):
    s = Session(Settings(dataset="moons", hidden=[(3, "tanh")], features=["x1", "x2", "sin x1", "x1*x2"]))
    s.reset(reload=True)
    assert s.net.layer_dims == (4, 3, 1)
    grid_X, shape = s.grid_points()
    assert grid_X.shape == (4, shape[0] * shape[1])
    np.testing.assert_array_equal(grid_X[3], np.sin(grid_X[0]))  # x₁, x₂, x₁x₂, sin x₁: FEATURES order
    opened = Session()
    opened.open(read_session(write_session(s, tmp_path / "moons")))
    assert opened.settings.features == ["x1", "x2", "sin x1", "x1*x2"]
    np.testing.assert_array_equal(opened.data.X_train, s.data.X_train)
    np.testing.assert_array_equal(plane_of(opened.data).X_train, plane_of(s.data).X_train)


def test_pictures_and_plain_points_are_left_as_they_are():
    s = Session(Settings(dataset="flower"))
    s.reset(reload=True)
    assert with_features(s.data, ["x1", "x2"]) is s.data
    assert Settings.from_dict({"features": "x1"}).features == ["x1", "x2"]  # a bad value: the default
