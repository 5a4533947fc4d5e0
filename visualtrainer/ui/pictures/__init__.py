"""Pictures: dropped pictures as cards, the test set's mistakes, a dataset built by hand, and reading them all in
a thread of their own."""
