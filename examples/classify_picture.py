"""Classify pictures with a network trained on pictures: each file's class and its probability.

Trains logistic regression (a one-neuron network) on the built-in ``shapes`` pictures, then reads each picture
given on the command line (by default the samples in resources/samples) as the network's 64×64×3 input.
"""

import sys
from pathlib import Path

from visualtrainer.app.builder import network_for
from visualtrainer.app.pictures import classify
from visualtrainer.app.settings import Settings
from visualtrainer.data import DatasetError, load_dataset
from visualtrainer.data.images import picture_features

SAMPLES = Path(__file__).resolve().parents[1] / "resources" / "samples"


def main(paths):
    data = load_dataset("shapes", seed=1, test_fraction=0.2)
    settings = Settings(dataset="shapes", hidden=[], init="zeros", learning_rate=0.005, iterations=300)
    net = network_for(settings, data).fit(data.X_train, data.Y_train, settings.iterations)
    print(f"trained on {data.m} pictures: {net.score(data.X_train, data.Y_train):.1f}% train, "
          f"{net.score(data.X_test, data.Y_test):.1f}% test")
    for path in paths or sorted(SAMPLES.glob("*.png")):
        try:
            x = picture_features(path, data.image_shape)  # (12288, 1) uint8, as the network takes it
        except DatasetError as error:
            print(error)
            continue
        p = classify(net, x.T)[0]
        print(f"{Path(path).name}: {data.classes[p.argmax()]} ({p.max():.3f})")


if __name__ == "__main__":
    main(sys.argv[1:])
