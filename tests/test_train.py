"""mlcourse.train: loaders, the accuracy formula (E27), evaluation under no_grad (E26), determinism, progress."""

import re

import nbformat
import numpy as np
import pytest
import torch
from nbclient import NotebookClient

from mlcourse.train import BAR_FORMAT, History, evaluate, fit, make_loaders, predict, train_epoch


class Lookup(torch.nn.Module):
    """Predicts class X[:, 0] (as a one-hot logit of size 3) and records how it was called."""

    def __init__(self):
        super().__init__()
        self.scale = torch.nn.Parameter(torch.tensor(4.0))
        self.calls = []

    def forward(self, X):
        self.calls.append((torch.is_grad_enabled(), self.training, X.shape[0]))
        return self.scale * torch.nn.functional.one_hot(X[:, 0].long(), 3).float()


def blobs(n=120, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    X = rng.normal(size=(n, 2)) * 0.3 + np.array([[0, 0], [2, 0], [0, 2]])[y]
    return X, y


def small_model():
    return torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))


def test_make_loaders_shapes_dtypes_and_uneven_last_batch():
    X, y = blobs(10)
    train, test = make_loaders(X, y, X[:7], y[:7], batch_size=4, test_batch_size=3)
    sizes = [xb.shape[0] for xb, _ in train]
    assert sizes == [4, 4, 2]
    assert [xb.shape[0] for xb, _ in test] == [3, 3, 1]
    xb, yb = next(iter(test))
    assert xb.dtype == torch.float32 and yb.dtype == torch.int64
    np.testing.assert_array_equal(yb.numpy(), y[:3])  # the test loader keeps the order
    assert train.num_workers == 0 and test.num_workers == 0
    xb64, _ = next(iter(make_loaders(X, y, X, y, dtype=torch.float64)[1]))
    assert xb64.dtype == torch.float64


def test_training_order_is_seeded_and_reshuffled_each_epoch():
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10)

    def order(loader):
        return torch.cat([yb for _, yb in loader]).tolist()

    a, _ = make_loaders(X, y, X, y, batch_size=3, seed=5)
    b, _ = make_loaders(X, y, X, y, batch_size=3, seed=5)
    c, _ = make_loaders(X, y, X, y, batch_size=3, seed=6)
    first, second = order(a), order(a)
    assert first == order(b) and second == order(b)
    assert first != second  # a new permutation every epoch
    assert sorted(first) == list(range(10))
    assert order(c) != first


def test_accuracy_is_total_correct_over_total_count_with_uneven_last_batch():
    # 5 samples in batches of 4 and 1: the first batch has 2 of 4 right, the last 1 of 1.
    X = np.array([[0.0], [1.0], [2.0], [0.0], [1.0]])
    y = np.array([0, 1, 0, 1, 1])
    _, loader = make_loaders(X, y, X, y, test_batch_size=4)
    model = Lookup()
    loss, acc = evaluate(model, loader)
    assert acc == pytest.approx(3 / 5)
    assert acc != pytest.approx((2 / 4 + 1 / 1) / 2)  # the biased mean of batch accuracies (E27)
    logits = 4.0 * torch.nn.functional.one_hot(torch.tensor(X[:, 0]).long(), 3).float()
    assert loss == pytest.approx(torch.nn.functional.cross_entropy(logits, torch.tensor(y)).item())


def test_evaluate_runs_in_eval_mode_without_grad():
    X, y = blobs(9)
    X[:, 0] = np.abs(X[:, 0]).round() % 3
    _, loader = make_loaders(X, y, X, y, test_batch_size=4)
    model = Lookup()
    model.train()
    evaluate(model, loader)
    assert model.calls == [(False, False, 4), (False, False, 4), (False, False, 1)]
    assert torch.is_grad_enabled()


def test_train_epoch_trains_with_grad_and_weights_samples():
    X, y = blobs(10)
    X[:, 0] = np.abs(X[:, 0]).round() % 3
    loader, test_loader = make_loaders(X, y, X, y, batch_size=4, seed=1)
    model = Lookup()
    steps = []
    # lr = 0: the weights do not move, so the running epoch loss must equal the evaluated loss
    loss, acc = train_epoch(model, loader, torch.optim.SGD(model.parameters(), lr=0.0), step_losses=steps)
    assert all(grad and training for grad, training, _ in model.calls)
    assert len(steps) == 3
    eval_loss, eval_acc = evaluate(model, test_loader)
    assert loss == pytest.approx(eval_loss) and acc == pytest.approx(eval_acc)
    assert loss == pytest.approx(np.dot(steps, [4, 4, 2]) / 10)


def test_fit_learns_and_is_deterministic():
    X, y = blobs(120)

    def run():
        torch.manual_seed(0)
        model = small_model()
        train, test = make_loaders(X[:90], y[:90], X[90:], y[90:], batch_size=16, seed=0)
        return fit(model, train, test, torch.optim.SGD(model.parameters(), lr=0.5), epochs=4, progress=False)

    h1, h2 = run(), run()
    assert h1.as_dict() == h2.as_dict()
    assert h1.epochs == 4 and len(h1.step_loss) == 4 * 6
    assert all(len(v) == 4 for k, v in h1.as_dict().items() if k != "step_loss")
    assert h1.test_acc[-1] >= 0.9
    assert h1.train_loss[-1] < h1.train_loss[0]


def test_predict_is_argmax_in_eval_mode():
    model = Lookup()
    X = np.array([[2.0], [0.0], [1.0]])
    pred = predict(model, X)
    assert pred.dtype == np.int64
    np.testing.assert_array_equal(pred, [2, 0, 1])
    assert model.calls == [(False, False, 3)]


def test_progress_bar_writes_no_times_and_leaves_nothing(capsys):
    X, y = blobs(40)
    torch.manual_seed(0)
    model = small_model()
    train, test = make_loaders(X, y, X, y, batch_size=8)
    fit(model, train, test, torch.optim.SGD(model.parameters(), lr=0.1), epochs=3, progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "epoch" in captured.err and "test acc" in captured.err
    assert not re.search(r"\d\d:\d\d|it/s|s/it", captured.err)
    assert captured.err.rstrip(" ").endswith("\r")  # leave=False: the last write blanks the line
    assert "{elapsed" not in BAR_FORMAT and "{rate" not in BAR_FORMAT


def test_bad_input_is_refused():
    X, y = blobs(6)
    with pytest.raises(TypeError, match="y_train must hold integer class labels"):
        make_loaders(X, y.astype(float), X, y)
    with pytest.raises(ValueError, match="same N"):
        make_loaders(X, y[:5], X, y)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        make_loaders(X, y, X, y, batch_size=0)
    with pytest.raises(TypeError, match="seed must be a non-negative int"):
        make_loaders(X, y, X, y, seed=-1)
    train, test = make_loaders(X, y, X, y)
    model = small_model()
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        fit(model, train, test, torch.optim.SGD(model.parameters(), lr=0.1), epochs=0)


def test_history_as_dict_is_a_copy():
    h = History(train_loss=[1.0], train_acc=[0.5], test_loss=[1.1], test_acc=[0.4])
    d = h.as_dict()
    d["train_loss"].append(9.0)
    assert h.train_loss == [1.0] and h.epochs == 1


@pytest.mark.slow
def test_progress_bar_in_a_kernel_leaves_no_stderr_and_no_times():
    """What strict nbval sees: fit(progress=True) in a real Jupyter kernel writes nothing to stdout/stderr
    and the widget's text contains no timing."""
    code = (
        "import mlcourse\nmlcourse.setup(seed=0)\nimport numpy as np, torch\n"
        "from mlcourse.train import fit, make_loaders\n"
        "X = np.random.default_rng(0).normal(size=(40, 2)); y = (X[:, 0] > 0).astype(np.int64)\n"
        "model = torch.nn.Linear(2, 2)\ntrain, test = make_loaders(X, y, X, y, batch_size=8)\n"
        "history = fit(model, train, test, torch.optim.SGD(model.parameters(), lr=0.1), epochs=3)"
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code), nbformat.v4.new_code_cell("print(len(history.test_acc))")]
    NotebookClient(nb, kernel_name="python3", timeout=120, record_timing=False).execute()
    outputs = nb.cells[0].outputs
    assert not [o for o in outputs if o.output_type == "stream"], outputs
    texts = " ".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert not re.search(r"\d\d:\d\d|it/s|s/it", texts)
    assert nb.cells[1].outputs[0].text == "3\n"
