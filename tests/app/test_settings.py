"""The settings a new dataset suggests: a learning rate and iterations that suit the data and the network."""

from visualtrainer.app.settings import Settings


def test_a_picture_file_suggests_the_courses_rate_for_the_network_it_gets():
    logistic = Settings(dataset="/data/train_catvnoncat.h5", hidden=[])
    assert "logistic regression on pictures" in logistic.suggest_for_dataset()
    assert (logistic.learning_rate, logistic.iterations) == (0.005, 2000)  # 0.0075 swings it between 0.57 and 1.04
    network = Settings(dataset="/data/train_catvnoncat.h5", hidden=[(7, "relu")])
    assert network.suggest_for_dataset() == "α = 0.0075 and 2,500 iterations, which suit a network on pictures"
    assert (network.learning_rate, network.iterations) == (0.0075, 2500)


def test_the_built_in_sets_suggest_their_own():
    flower = Settings(dataset="flower", learning_rate=0.01)
    assert flower.suggest_for_dataset() == "α = 1.2 and 10,000 iterations, which suit the flower set"
    shapes = Settings(dataset="shapes", hidden=[])
    shapes.suggest_for_dataset()
    assert shapes.learning_rate == 0.001
