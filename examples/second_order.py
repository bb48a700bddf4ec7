"""Second-order training (HH19's optimisation chapter): Newton, Gauss-Newton, Levenberg-Marquardt, L-BFGS and
plain gradient descent, on a small logistic regression and on HH19's 2-2-3-2 network.

HH19's cost C(p) = 1/(2N) sum_i ||y_i - a^[4](x_i; p)||^2 is a nonlinear least-squares problem, C = 1/2 ||r(p)||^2
with residuals r = (a^[4](x_i) - y_i) / sqrt(N): 20 residuals, 23 parameters. The derivatives come from the engine:

- Newton: the exact Hessian (``autograd.functional.hessian``, a backward pass over the gradient's graph per row),
  damped by mu I with mu just large enough that H + mu I is positive definite, so the step is a descent direction;
  a backtracking line search keeps the cost falling. Near the minimum mu = 0 and the step is the Newton step.
- Gauss-Newton: J^T J instead of H, with J = ``jacobian(residuals, p)``: the minimal-norm step -J^+ r.
- Levenberg-Marquardt: (J^T J + lam I) p = -J^T r, lam shrunk after a success and grown after a failure.
- L-BFGS: ``nn.LBFGS`` with the strong Wolfe line search (up to 25 evaluations), one iteration per
  step(closure).
- Gradient descent: p <- p - eta grad C.

Prints the iterations each needs to reach a cost of 1e-4 on HH19, and Newton's gradient norms on the logistic
regression, where the number of correct digits doubles per iteration (quadratic convergence). Writes the cost against
iteration (log scale) for both problems to examples/out/second_order.png. Run:
    python examples/second_order.py
"""

from __future__ import annotations

import argparse
import os

import numpy as np

from autograd import Tensor
from autograd.functional import hessian, jacobian
from nn import LBFGS
from nn.data import hh19
from nn.options import count

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
TARGET = 1e-4
SIZES = [2, 2, 3, 2]


# --- the two problems, as functions of one flat parameter vector ---------------------------------------------------

def hh19_residuals(p: Tensor, X: np.ndarray, Y: np.ndarray) -> Tensor:
    """r(p) = (a^[4](x_i) - y_i) / sqrt(N), flattened: HH19's network (sigmoid everywhere), columns as samples."""
    a, k = Tensor(X.T), 0
    for n_in, n_out in zip(SIZES, SIZES[1:]):
        W = p[k:k + n_out * n_in].reshape(n_out, n_in)
        k += n_out * n_in
        b = p[k:k + n_out].reshape(n_out, 1)
        k += n_out
        a = (W @ a + b).sigmoid()                               # a^[l] = sigma(W^[l] a^[l-1] + b^[l])
    return ((a - Tensor(Y.T)) / np.sqrt(len(X))).reshape(-1)


def hh19_cost(p: Tensor, X: np.ndarray, Y: np.ndarray) -> Tensor:
    r = hh19_residuals(p, X, Y)
    return (r * r).sum() * 0.5                                  # C = 1/(2N) sum ||a - y||^2


def logistic_data(n: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two overlapping Gaussian clouds (not separable, so the minimum is finite)."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = rng.standard_normal((n, 2)) + np.where(y[:, None] == 1, 0.8, -0.8)
    return np.column_stack([X, np.ones(n)]), y.astype(float)


def logistic_cost(w: Tensor, X: np.ndarray, y: np.ndarray) -> Tensor:
    """Mean binary cross-entropy of sigmoid(X w): mean softplus(z) - y z, stable at any z."""
    z = Tensor(X) @ w
    return (z.softplus() - z * y).mean()


# --- the methods: each returns the cost after every iteration (the first entry: at the start) -------------------

def _finite(method: str, k: int, c: float) -> float:
    """The cost c, refused by name when it is nan or infinite: every later step would compare nan and go nowhere."""
    if not np.isfinite(c):
        raise FloatingPointError(f"{method}: the cost is {c} at iteration {k}; the problem has no finite minimum "
                                 f"there (check the function and the starting point)")
    return c


def _value_and_grad(f, p: np.ndarray) -> tuple[float, np.ndarray]:
    t = Tensor(p, requires_grad=True)
    c = f(t)
    c.backward()
    return float(c.data), t.grad


def _backtrack(f, p: np.ndarray, c: float, g: np.ndarray, step: np.ndarray) -> np.ndarray:
    """The largest t in 1, 1/2, 1/4, ... with sufficient decrease (Armijo): p + t step; p itself if none of 50."""
    t, slope = 1.0, float(g @ step)
    for _ in range(50):
        if float(f(Tensor(p + t * step)).data) <= c + 1e-4 * t * slope:
            return p + t * step
        t *= 0.5
    return p


def newton(f, p: np.ndarray, iterations: int, tol: float = 0.0) -> tuple[list, list]:
    """Damped Newton: (H + mu I) s = -g with mu >= 0 the least shift making H + mu I positive definite; stops
    (stalled) when no step along s lowers the cost."""
    costs, gnorms = [], []
    for _ in range(iterations + 1):
        c, g = _value_and_grad(f, p)
        costs.append(_finite("newton", len(costs), c))
        gnorms.append(float(np.linalg.norm(g)))
        if len(costs) > iterations or c < tol or gnorms[-1] < 1e-15:
            break
        H = hessian(f, Tensor(p)).data
        low = np.linalg.eigvalsh(H)[0]
        mu = 0.0 if low > 1e-10 * max(1.0, abs(H).max()) else 1e-6 - low + 1e-3 * abs(low)
        step = np.linalg.solve(H + mu * np.eye(len(p)), -g)
        moved = _backtrack(f, p, c, g, step)
        if moved is p:                                          # no step along it lowers C: the next is the same
            break
        p = moved
    return costs, gnorms


def gauss_newton(r, f, p: np.ndarray, iterations: int, tol: float = 0.0) -> list:
    """Gauss-Newton: the minimal-norm solution of J s = -r (J^T J is singular: 20 residuals, 23 parameters)."""
    costs = []
    for _ in range(iterations + 1):
        c, g = _value_and_grad(f, p)
        costs.append(_finite("gauss_newton", len(costs), c))
        if len(costs) > iterations or c < tol:
            break
        J = jacobian(r, Tensor(p)).data
        step = np.linalg.lstsq(J, -r(Tensor(p)).data, rcond=None)[0]
        moved = _backtrack(f, p, c, g, step)
        if moved is p:                                          # no step along -J^+ r lowers C: stalled
            break
        p = moved
    return costs


def levenberg_marquardt(r, f, p: np.ndarray, iterations: int, tol: float = 0.0, lam: float = 1e-2) -> list:
    """(J^T J + lam I) s = -J^T r; a step that lowers the cost is taken and lam /= 3, otherwise lam *= 2. Stops
    (stalled) when 60 doublings of lam find no lower cost: the step is then about -J^T r / lam, far too short to
    matter, and more doublings would only overflow lam."""
    # doubling never moves lam = 0 off 0, and doubling a negative lam makes J^T J + lam I ever more indefinite
    if not (np.isfinite(lam) and lam > 0):
        raise ValueError(f"levenberg_marquardt: lam must be a finite number above 0, got {lam}; "
                         f"lam = 0 is Gauss-Newton (gauss_newton)")
    c = _finite("levenberg_marquardt", 0, float(f(Tensor(p)).data))
    costs = [c]
    while len(costs) <= iterations and c >= tol:
        J, res = jacobian(r, Tensor(p)).data, r(Tensor(p)).data
        A, b = J.T @ J, -J.T @ res
        for _ in range(60):
            trial = p + np.linalg.solve(A + lam * np.eye(len(p)), b)
            c_trial = float(f(Tensor(trial)).data)
            if c_trial < c:
                p, c, lam = trial, c_trial, lam / 3
                break
            lam *= 2
        else:
            break
        costs.append(c)
    return costs


def lbfgs(f, p: np.ndarray, iterations: int, tol: float = 0.0) -> list:
    """nn.LBFGS (strong Wolfe, up to 25 evaluations), one iteration per step(closure); stops (stalled) when a step
    leaves the parameters where they were."""
    t = Tensor(p, requires_grad=True)
    # max_eval: with max_iter=1 the default (max_iter * 5 // 4, as torch) is 1, which leaves the line search no
    # evaluation beyond its first trial: a trial that fails gives t = 0, and every later step retries the same one
    opt = LBFGS([t], max_iter=1, max_eval=25, history_size=20, line_search_fn="strong_wolfe",
                tolerance_grad=1e-14, tolerance_change=1e-16)

    def closure() -> Tensor:
        opt.zero_grad()
        c = f(t)
        c.backward()
        return c

    costs = [_finite("lbfgs", 0, float(f(Tensor(t.data)).data))]
    while len(costs) <= iterations and costs[-1] >= tol:
        before = t.data.copy()
        opt.step(closure)
        if np.array_equal(t.data, before):
            break
        costs.append(_finite("lbfgs", len(costs), float(f(Tensor(t.data)).data)))
    return costs


def gradient_descent(f, p: np.ndarray, iterations: int, eta: float, tol: float = 0.0) -> list:
    costs = []
    for _ in range(iterations + 1):
        c, g = _value_and_grad(f, p)
        costs.append(_finite("gradient_descent", len(costs), c))
        if len(costs) > iterations or c < tol:
            break
        p = p - eta * g
    return costs


def first_below(costs: list, level: float) -> int | None:
    """The first iteration whose cost is below ``level`` (None if none is)."""
    return next((k for k, c in enumerate(costs) if c < level), None)


# --- the experiment ---------------------------------------------------------------------------------------------------

def main(iterations: int = 100, gd_iterations: int = 20_000, seed: int = 5000, out_dir: str = OUT,
         show: bool = True) -> dict:
    X, Y = hh19()
    p0 = 0.5 * np.random.default_rng(seed).standard_normal(23)     # netbp's 0.5 * randn
    r = lambda p: hh19_residuals(p, X, Y)                          # noqa: E731
    C = lambda p: hh19_cost(p, X, Y)                               # noqa: E731
    budgets = {"Newton (damped)": iterations, "Gauss-Newton": iterations, "Levenberg-Marquardt": iterations,
               "L-BFGS": 4 * iterations, "gradient descent": gd_iterations}
    runs = {
        "Newton (damped)": newton(C, p0, budgets["Newton (damped)"], TARGET / 10)[0],
        "Gauss-Newton": gauss_newton(r, C, p0, budgets["Gauss-Newton"], TARGET / 10),
        "Levenberg-Marquardt": levenberg_marquardt(r, C, p0, budgets["Levenberg-Marquardt"], TARGET / 10),
        "L-BFGS": lbfgs(C, p0, budgets["L-BFGS"], TARGET / 10),
        "gradient descent": gradient_descent(C, p0, budgets["gradient descent"], eta=2.0, tol=TARGET),
    }
    reached = {name: first_below(costs, TARGET) for name, costs in runs.items()}
    # a method that stopped short of its own budget without reaching the target found no step that lowers C;
    # one that used its whole budget simply ran out of iterations
    stalled = {name: reached[name] is None and len(costs) - 1 < budgets[name] for name, costs in runs.items()}

    Xl, yl = logistic_data()
    L = lambda w: logistic_cost(w, Xl, yl)                         # noqa: E731
    w0 = np.zeros(3)
    newton_costs, newton_gnorms = newton(L, w0, 8)
    logistic = {
        "Newton": newton_costs,
        "L-BFGS": lbfgs(L, w0, 30),
        "gradient descent": gradient_descent(L, w0, 300, eta=1.0),
    }
    best = min(min(c) for c in logistic.values())

    if show:
        print("Logistic regression (40 points, 3 weights): Newton's |grad C| per iteration")
        for k, gn in enumerate(newton_gnorms):
            print(f"  {k:2d}  |grad| = {gn:.3e}   C - C* = {newton_costs[k] - best:.3e}")
        print(f"\nHH19 2-2-3-2 network, 23 parameters: iterations to reach C < {TARGET:g}")
        for name, costs in runs.items():
            k = reached[name]
            why = " (stalled: no step along its direction lowers C)" if stalled[name] else ""
            shown = k if k is not None else f"> {len(costs) - 1}"
            print(f"  {name:<20} {shown:>8}   (final C = {costs[-1]:.3e}){why}")

    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "second_order.png")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name, costs in logistic.items():
        left.semilogy(np.maximum(np.array(costs) - best, 1e-17), label=name, marker="." if len(costs) < 40 else None)
    left.set(title="logistic regression: C - C*", xlabel="iteration", ylabel="cost above the minimum")
    for name, costs in runs.items():
        right.semilogy(costs, label=name)
    right.axhline(TARGET, color="grey", lw=0.8, ls=":")
    right.set_xlim(left=0)
    right.set(title="HH19 2-2-3-2 network: C", xlabel="iteration", ylabel="cost", xscale="symlog")
    for ax in (left, right):
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    if show:
        print(f"\nwrote {path}")
    return {"hh19": runs, "reached": reached, "stalled": stalled, "p0": p0, "logistic": logistic,
            "newton_gnorms": newton_gnorms, "path": path}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    iterations, gd_iterations = count(100), count(20_000)
    parser.add_argument("--iterations", type=iterations, default=iterations.default,
                        help=f"iterations of the second-order methods; {iterations.help}")
    parser.add_argument("--gd-iterations", type=gd_iterations, default=gd_iterations.default,
                        help=f"iterations of gradient descent; {gd_iterations.help}")
    args = parser.parse_args()
    main(args.iterations, args.gd_iterations)
