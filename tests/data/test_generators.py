"""The generated sets: the course's flower and scikit-learn's circles and moons to the digit, the others' geometry."""

import numpy as np
import pytest

from visualtrainer.data import (DatasetError, make_circles, make_flower, make_gaussian, make_house, make_moons,
                                make_spiral, make_tumor, make_xor)

CLASSIFIERS = [make_flower, make_circles, make_moons, make_xor, make_gaussian, make_spiral, make_tumor]


def test_flower_first_point_is_the_courses():
    X, Y = make_flower(seed=1)
    np.testing.assert_allclose(X[:, 0], [1.204442, 3.576114], atol=5e-7)  # published in the course's notebook
    assert X.shape == (2, 400) and Y.shape == (1, 400)
    np.testing.assert_array_equal(Y[0], np.repeat([0, 1], 200))


def _course_load_planar_dataset():
    """planar_utils.load_planar_dataset from the course, verbatim except for the saved global random state."""
    state = np.random.get_state()
    try:
        np.random.seed(1)
        m = 400
        N = int(m / 2)
        D = 2
        X = np.zeros((m, D))
        Y = np.zeros((m, 1), dtype="uint8")
        a = 4
        for j in range(2):
            ix = range(N * j, N * (j + 1))
            t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2
            r = a * np.sin(4 * t) + np.random.randn(N) * 0.2
            X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
            Y[ix] = j
        return X.T, Y.T
    finally:
        np.random.set_state(state)


def test_flower_is_the_courses_whole_set():
    X, Y = make_flower()
    X_course, Y_course = _course_load_planar_dataset()
    np.testing.assert_array_equal(X, X_course)
    np.testing.assert_array_equal(Y, Y_course)
    assert Y.dtype == np.int64


# The oracles below were printed by scikit-learn 1.9.1 (numpy 2.4) in a scratch venv outside the project:
# sklearn.datasets.make_circles(300, noise=0.05) and make_moons(300, noise=0.2), each with
# random_state=np.random.RandomState(1) (the course's notebooks call them after np.random.seed(...)).
# Over 320 other (n_samples, noise, seed, factor) cases the arrays were equal bit for bit.

def test_circles_equal_scikit_learns():
    X, Y = make_circles(300, noise=0.05, seed=1)
    np.testing.assert_allclose(X[:, :2].T, [[-0.07741354010048114, 0.8526022642742742],
                                            [0.43186959584803564, -0.8721450395952108]], rtol=1e-13)
    np.testing.assert_array_equal(Y[0, :10], [1, 0, 1, 1, 0, 0, 1, 0, 1, 1])
    np.testing.assert_allclose(X.sum(axis=1), [0.08752101204353774, 0.015659577954547754], rtol=1e-9)
    assert (X**2).sum() == pytest.approx(249.13472743530082, rel=1e-12)


def test_moons_equal_scikit_learns():
    X, Y = make_moons(300, noise=0.2, seed=1)
    np.testing.assert_allclose(X[:, :2].T, [[0.21073484902498657, -0.01598679830130703],
                                            [-0.8291041279490649, 0.6518776506828385]], rtol=1e-13)
    np.testing.assert_array_equal(Y[0, :10], [1, 0, 1, 1, 0, 0, 1, 0, 1, 1])
    np.testing.assert_allclose(X.sum(axis=1), [150.35008404817432, 75.06263831181819], rtol=1e-12)
    assert (X**2).sum() == pytest.approx(421.478066535673, rel=1e-12)
    # the course's Optimization notebook: np.random.seed(3); make_moons(n_samples=300, noise=.2)
    X, _ = make_moons(300, noise=0.2, seed=3)
    np.testing.assert_allclose(X[:, :2].T, [[-0.21687013460912397, 1.0154493742029873],
                                            [0.8050501531955674, -0.5579733951321297]], rtol=1e-13)


@pytest.mark.parametrize("make, counts", [(make_flower, [150, 150]), (make_circles, [150, 150]),
                                          (make_moons, [150, 150]), (make_gaussian, [150, 150]),
                                          (make_spiral, [100, 100, 100])])
def test_classification_sets_have_their_shape_dtype_and_balance(make, counts):
    X, Y = make(n_samples=300, seed=3)
    assert X.shape == (2, 300) and X.dtype == np.float64 and X.flags.c_contiguous
    assert Y.shape == (1, 300) and Y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(Y[0]), counts)
    assert np.all(np.isfinite(X))


def test_odd_sizes_give_the_extra_point_to_class_1():
    for make in (make_circles, make_moons, make_gaussian):
        _, Y = make(n_samples=301, seed=0)
        np.testing.assert_array_equal(np.bincount(Y[0]), [150, 151])


@pytest.mark.parametrize("make", CLASSIFIERS + [make_house])
def test_the_seed_decides_everything(make):
    X, Y = make(seed=3)
    X_again, Y_again = make(seed=3)
    X_other, _ = make(seed=4)
    np.testing.assert_array_equal(X, X_again)
    np.testing.assert_array_equal(Y, Y_again)
    assert X_other.shape == X.shape and not np.allclose(X, X_other)


@pytest.mark.parametrize("make", CLASSIFIERS + [make_house])
def test_the_global_random_state_is_left_alone(make):
    np.random.seed(123)
    expected = np.random.random_sample(3)
    np.random.seed(123)
    make(seed=5)
    np.testing.assert_array_equal(np.random.random_sample(3), expected)


@pytest.mark.parametrize("make", CLASSIFIERS + [make_house])
def test_more_noise_scatters_more(make):
    X0, Y0 = make(seed=2, noise=0.0)
    X1, Y1 = make(seed=2, noise=0.5)
    assert not np.allclose(np.vstack([X0, Y0]), np.vstack([X1, Y1]))  # house puts its noise in the prices
    if make in (make_circles, make_moons, make_spiral, make_flower):  # without noise the seed only shuffles
        X0_other_seed, _ = make(seed=7, noise=0.0)
        np.testing.assert_allclose(np.sort(np.hypot(*X0)), np.sort(np.hypot(*X0_other_seed)), atol=1e-12)


def test_xor_labels_follow_the_quadrants_before_the_jitter():
    X, Y = make_xor(400, noise=0.0, seed=0)
    assert X.min() >= -1 and X.max() <= 1
    np.testing.assert_array_equal(Y[0], (X[0] * X[1] > 0).astype(np.int64))
    assert 0.4 < Y.mean() < 0.6
    X_noisy, Y_noisy = make_xor(400, noise=0.3, seed=0)
    np.testing.assert_array_equal(Y_noisy, Y)  # same uniform draws, so the same labels
    jitter = X_noisy - X
    assert jitter.std() == pytest.approx(0.3, rel=0.1) and abs(jitter.mean()) < 0.05


def test_gaussian_blobs_sit_at_their_centres_with_std_noise():
    X, Y = make_gaussian(4000, noise=0.5, seed=0)
    for label, centre in ((0, -1.5), (1, 1.5)):
        part = X[:, Y[0] == label]
        np.testing.assert_allclose(part.mean(axis=1), [centre, centre], atol=0.05)
        np.testing.assert_allclose(part.std(axis=1), [0.5, 0.5], rtol=0.06)


def test_spiral_arms_run_from_the_centre_to_radius_1():
    X, Y = make_spiral(300, noise=0.2, seed=0, n_classes=3)
    for k in range(3):
        np.testing.assert_array_equal(Y[0, 100 * k:100 * (k + 1)], k)
        np.testing.assert_allclose(np.hypot(*X[:, 100 * k:100 * (k + 1)]), np.linspace(0, 1, 100), atol=1e-12)
    X, _ = make_spiral(3000, noise=0.2, seed=0)  # the noise is on the angle t = atan2(x1, x2), std 0.2
    for k in range(3):
        arm = X[:, 1000 * k + 1:1000 * (k + 1)]  # skip the centre, where the angle is undefined
        drift = np.angle(np.exp(1j * (np.arctan2(arm[0], arm[1]) - np.linspace(4 * k, 4 * k + 4, 1000)[1:])))
        assert drift.std() == pytest.approx(0.2, rel=0.1) and abs(drift.mean()) < 0.03
    _, Y5 = make_spiral(500, seed=0, n_classes=5)
    np.testing.assert_array_equal(np.bincount(Y5[0]), [100] * 5)


def test_noiseless_circles_and_moons_lie_on_their_curves():
    X, Y = make_circles(200, noise=0.0, seed=0, factor=0.5)
    np.testing.assert_allclose(np.hypot(*X), np.where(Y[0] == 0, 1.0, 0.5), atol=1e-12)
    X, Y = make_moons(200, noise=0.0, seed=0)
    centre = np.where(Y == 0, [[0.0], [0.0]], [[1.0], [0.5]])
    np.testing.assert_allclose(np.hypot(*(X - centre)), 1.0, atol=1e-12)
    assert X[1, Y[0] == 0].min() >= -1e-12 and X[1, Y[0] == 1].max() <= 0.5 + 1e-12  # upper and lower halves


def test_house_is_a_noisy_line_of_order_one():
    X, Y = make_house(2000, noise=0.1, seed=0)
    assert X.shape == Y.shape == (1, 2000) and X.dtype == Y.dtype == np.float64
    assert 0.5 <= X.min() and X.max() <= 3.5
    slope, intercept = np.polyfit(X[0], Y[0], 1)
    assert slope == pytest.approx(1.5, abs=0.05) and intercept == pytest.approx(0.5, abs=0.1)
    residual = Y[0] - (0.5 + 1.5 * X[0])
    assert residual.std() == pytest.approx(0.3, rel=0.1)  # HOUSE_PRICE_SCALE · noise
    assert make_house(noise=0.0)[1].tolist() == (0.5 + 1.5 * make_house(noise=0.0)[0]).tolist()


def test_tumor_labels_follow_the_size_past_the_threshold_with_noise():
    X, Y = make_tumor(100_000, noise=0.5, seed=0)
    assert X.shape == Y.shape == (1, 100_000) and Y.dtype == np.int64
    # P(y = 1 | x) = Φ((x − 0.3) / noise): Φ(−2) = 2.3% two noise-widths below the threshold, Φ(2) above it
    below, above = Y[np.abs(X - (0.3 - 1.0)) < 0.05], Y[np.abs(X - (0.3 + 1.0)) < 0.05]
    assert below.mean() == pytest.approx(0.0228, abs=0.01) and above.mean() == pytest.approx(0.9772, abs=0.01)
    X0, Y0 = make_tumor(500, noise=0.0, seed=3)
    np.testing.assert_array_equal(Y0, (X0 > 0.3).astype(np.int64))


@pytest.mark.parametrize("call, message", [
    (lambda: make_flower(noise=-1), r"^noise must be a float >= 0; got -1\. Use 0"),
    (lambda: make_moons(noise=float("nan")), r"noise must be a float >= 0; got nan"),
    (lambda: make_xor(noise="0.1"), r"noise must be a float >= 0; got '0\.1'"),
    (lambda: make_circles(noise=None), r"noise must be a float >= 0; got None"),
    (lambda: make_moons(n_samples=2), r"^n_samples must be an integer >= 4; got 2\.$"),
    (lambda: make_gaussian(n_samples=100.0), r"n_samples must be an integer >= 4; got 100\.0"),
    (lambda: make_house(n_samples=True), r"n_samples must be an integer >= 4; got True"),
    (lambda: make_flower(n_samples=401), r"n_samples must be a multiple of 2 .*; got 401\. Use 400 or 402\."),
    (lambda: make_spiral(n_samples=301), r"n_samples must be a multiple of 3 .*; got 301\. Use 300 or 303\."),
    (lambda: make_spiral(n_samples=8, n_classes=5), r"n_samples must be an integer >= 10; got 8"),
    (lambda: make_spiral(n_classes=1), r"n_classes must be an integer >= 2; got 1"),
    (lambda: make_xor(seed=-1), r"seed must be an integer in 0 … 4294967295; got -1\."),
    (lambda: make_xor(seed=2**32), r"seed must be an integer in 0 … 4294967295; got 4294967296"),
    (lambda: make_flower(seed=1.5), r"seed must be an integer .*; got 1\.5"),
    (lambda: make_gaussian(seed=None), r"seed must be an integer .*; got None"),
    (lambda: make_circles(factor=1.0), r"factor must be a float in \[0, 1\) \(the inner radius\); got 1\.0"),
    (lambda: make_circles(factor=-0.1), r"factor must be a float in \[0, 1\)"),
])
def test_bad_arguments_say_what_was_expected_and_given(call, message):
    with pytest.raises(DatasetError, match=message):
        call()


def test_numpy_scalars_are_good_arguments():
    X, _ = make_moons(np.int64(300), noise=np.float32(0.2), seed=np.int32(1))
    np.testing.assert_array_equal(X, make_moons(300, noise=float(np.float32(0.2)), seed=1)[0])
