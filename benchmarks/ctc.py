"""Time mlcourse.ctc.ctc_loss_and_grad (numpy) against torch.nn.functional.ctc_loss forward + backward (CPU).

    python benchmarks/ctc.py                  # both cases, torch on 1 thread and on its default threads
    python benchmarks/ctc.py --repeats 21 --variable-lengths

Both sides work in float64 on the same log-probabilities, targets and lengths, with reduction='mean'. torch is
timed on a leaf log_probs tensor: its backward then returns ŷ − γ, the gradient w.r.t. the logits, which is what
mlcourse returns (reference/ctc.md, gotcha); the agreement check uses log_softmax inside the torch graph. Each
implementation is timed in its own block of runs (interleaving would let torch's idle worker threads compete with
numpy); medians of wall and of process CPU time are reported.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch
import torch.nn.functional as F

from mlcourse import ctc

CASES = [(16, 100, 20, 20), (32, 400, 40, 60)]  # N, T, C, U


def make_case(N: int, T: int, C: int, U: int, variable: bool, seed: int = 0):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((T, N, C))
    log_probs = z - z.max(axis=-1, keepdims=True)
    log_probs -= np.log(np.exp(log_probs).sum(axis=-1, keepdims=True))
    targets = rng.integers(1, C, size=(N, U))
    input_lengths = np.full(N, T)
    target_lengths = np.full(N, U)
    if variable:
        input_lengths = rng.integers(T * 3 // 4, T + 1, size=N)
        target_lengths = rng.integers(U * 3 // 4, U + 1, size=N)
    return z, log_probs, targets, input_lengths, target_lengths


def median_time(run, repeats: int) -> tuple[float, float]:
    """Median wall and CPU (process) times of `repeats` runs, after a warm-up run and a pause for idle threads."""
    run()
    time.sleep(0.2)
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return statistics.median(wall), statistics.median(cpu)


def agreement(z, log_probs, targets, input_lengths, target_lengths) -> tuple[float, float]:
    loss, dz = ctc.ctc_loss_and_grad(log_probs, targets, input_lengths, target_lengths)
    logits = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    t_loss = F.ctc_loss(
        logits.log_softmax(-1), torch.tensor(targets), torch.tensor(input_lengths), torch.tensor(target_lengths)
    )
    t_loss.backward()
    return abs(loss - t_loss.item()) / abs(t_loss.item()), float(np.abs(dz - logits.grad.numpy()).max())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=11, help="timed runs per implementation (default 11)")
    parser.add_argument(
        "--threads",
        choices=["one", "default", "both"],
        default="both",
        help="torch threads: 1, torch's default, or both (default)",
    )
    parser.add_argument("--variable-lengths", action="store_true", help="random T_b in [3T/4, T], U_b in [3U/4, U]")
    args = parser.parse_args()

    default_threads = torch.get_num_threads()
    settings = {"one": [1], "default": [default_threads], "both": [1, default_threads]}[args.threads]
    print(
        f"numpy {np.__version__}, torch {torch.__version__}; float64, reduction='mean', "
        f"{'variable' if args.variable_lengths else 'full'} lengths, median of {args.repeats} runs"
    )
    print(
        f"{'N':>3} {'T':>4} {'C':>3} {'U':>3} {'torch threads':>13} {'mlcourse ms':>11} {'torch ms':>9} "
        f"{'ratio':>6} {'CPU ratio':>9} {'loss rel err':>12} {'max |Δgrad|':>11}"
    )
    worst = 0.0
    for N, T, C, U in CASES:
        z, lp, targets, T_b, U_b = make_case(N, T, C, U, args.variable_lengths)
        loss_err, grad_err = agreement(z, lp, targets, T_b, U_b)
        worst = max(worst, loss_err, grad_err)
        t_targets, t_T_b, t_U_b = torch.tensor(targets), torch.tensor(T_b), torch.tensor(U_b)

        def run_mlcourse(lp=lp, targets=targets, T_b=T_b, U_b=U_b):
            ctc.ctc_loss_and_grad(lp, targets, T_b, U_b)

        def run_torch(lp=lp, t_targets=t_targets, t_T_b=t_T_b, t_U_b=t_U_b):
            leaf = torch.tensor(lp, dtype=torch.float64, requires_grad=True)
            F.ctc_loss(leaf, t_targets, t_T_b, t_U_b).backward()

        t_mine, cpu_mine = median_time(run_mlcourse, args.repeats)  # numpy: one thread, no BLAS call in ctc
        for threads in settings:
            torch.set_num_threads(threads)
            t_torch, cpu_torch = median_time(run_torch, args.repeats)
            print(
                f"{N:>3} {T:>4} {C:>3} {U:>3} {threads:>13} {1e3 * t_mine:>11.2f} {1e3 * t_torch:>9.2f} "
                f"{t_mine / t_torch:>6.2f} {cpu_mine / cpu_torch:>9.2f} {loss_err:>12.1e} {grad_err:>11.1e}"
            )
    torch.set_num_threads(default_threads)
    if worst > 1e-9:
        raise SystemExit(f"mlcourse and torch disagree: {worst:.2e} > 1e-9")
    print("ratio = mlcourse / torch median wall times; CPU ratio uses process CPU time (robust to a busy machine,")
    print("but it adds up torch's threads when there are several). mlcourse and torch agree to 1e-9.")


if __name__ == "__main__":
    main()
