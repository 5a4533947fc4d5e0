"""A learning-rate sweep: the same network trained once per learning rate, each run's final cost and accuracy.

The Sweep tab's loop without the window (app.sweeps.sweep): in 2000 iterations α = 0.01 barely moves J from 0.69,
while 1.2 (the course's) reaches 90% on the training set.
"""

from visualtrainer.app.settings import Settings
from visualtrainer.app.sweeps import parse_values, shown, sweep
from visualtrainer.data import load_dataset


def main(text="0.01, 0.1, 1.2, 5"):
    data = load_dataset("flower", seed=1, test_fraction=0.2)
    settings = Settings(dataset="flower", hidden=[(4, "tanh")], iterations=2000)
    for run in sweep(settings, data, "learning rate", parse_values("learning rate", text)):
        print(f"α = {shown(run.value):>4}: J = {run.final_cost:.4f}, {run.train_accuracy:.1f}% train, "
              f"{run.test_accuracy:.1f}% test")


if __name__ == "__main__":
    main()
