"""The `train` command and the demo's training part."""

import re

import numpy as np
import pytest

from micrograd_dls import cli
from micrograd_dls.cli import main
from micrograd_dls.nn import load

PLANAR = ["train", "--data", "planar", "--layers", "2,4,1", "--hidden", "tanh", "--lr", "1.2",
          "--seed", "2"]


def test_train_on_the_flower_prints_the_notebooks_costs_and_saves(tmp_path, capsys):
    path = tmp_path / "model.npz"
    status = main(PLANAR + ["--iterations", "1001", "--print-every", "1000", "--save", str(path)])
    out = capsys.readouterr().out
    assert status == 0
    assert "Cost after iteration 0: 0.693048" in out
    assert "Cost after iteration 1000: 0.288083" in out
    assert "init small (seed 2)" in out
    train = [line for line in out.splitlines() if line.startswith("train accuracy:")]
    test = [line for line in out.splitlines() if line.startswith("test accuracy:")]
    assert len(train) == 1 and len(test) == 1
    model = load(path)
    assert model.layer_dims == [2, 4, 1] and model.hidden_activation == "tanh"


def test_train_with_another_optimizer_and_data_set(capsys):
    status = main(["train", "--data", "noisy_moons", "--m", "100", "--lr", "0.05", "--iterations",
                   "300", "--print-every", "100", "--optimizer", "adam", "--hidden", "relu"])
    out = capsys.readouterr().out
    assert status == 0 and "layers [2, 4, 1]" in out and "optimizer adam" in out
    costs = [float(line.split(": ")[1]) for line in out.splitlines() if line.startswith("Cost")]
    assert len(costs) == 4 and costs[-1] < costs[0]


def write_course_file(path, split, m, seed):
    h5py = pytest.importorskip("h5py")
    rng = np.random.default_rng(seed)
    y = (np.arange(m) % 2).astype(np.int64)
    x = rng.integers(0, 60, size=(m, 3, 3, 3)).astype(np.uint8)
    x[y == 1] += 150  # bright pictures are the positive class
    with h5py.File(path, "w") as f:
        f.create_dataset(f"{split}_set_x", data=x)
        f.create_dataset(f"{split}_set_y", data=y)
        f.create_dataset("list_classes", data=np.array([b"dark", b"bright"]))


def test_train_on_course_h5_files_reports_train_and_test_accuracy(tmp_path, capsys):
    train, test = tmp_path / "train_set.h5", tmp_path / "test_set.h5"
    write_course_file(train, "train", 20, 0)
    write_course_file(test, "test", 10, 1)
    status = main(["train", "--data", str(train), "--test", str(test), "--layers", "27,3,1",
                   "--lr", "0.5", "--iterations", "200", "--print-every", "100"])
    out = capsys.readouterr().out
    assert status == 0
    assert "X (27, 20), Y (1, 20)" in out
    assert "train accuracy: 100.0 %" in out and "test accuracy: 100.0 %" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--data", "mnist"], "unknown data set 'mnist'"),
        (["--data", "absent.h5"], "no such data file: 'absent.h5'"),
        (["--layers", "3,4,1"], "--layers '3,4,1' does not match the data.*n_x = 2"),
        (["--layers", "2,4,2"], "sizes must read 2,...,1"),
        (["--layers", "2,four,1"], "--layers '2,four,1': give sizes separated by commas"),
        (["--layers", "2"], "at least two positive sizes"),
        (["--lr", "-0.5"], "--lr must be a positive finite number, got -0.5"),
        (["--lr", "inf"], "--lr must be a positive finite number, got inf"),
        (["--lr", "nan"], "--lr must be a positive finite number, got nan"),
        (["--iterations", "0"], "--iterations must be positive"),
        (["--hidden", "softmax"], "invalid choice: 'softmax'"),
        (["--m", "7"], "--m must be an even number"),
        (["--save", "/no/such/folder/m.npz"], "the folder does not exist"),
        (["--lr", "fast"], "invalid float value: 'fast'"),
        (["--test", "test.h5"], "--test is for .h5 data"),
        (["--seed", "-3"], "--seed must be a non-negative int up to 4294967295, got -3"),
        (["--data-seed", "-1"], "--data-seed must be a non-negative int"),
        (["--seed", str(2**32)], r"--seed must be a non-negative int up to 4294967295, "
                                 r"got 4294967296"),
        (["--data-seed", str(2**32 - 1)], r"--data-seed must be a non-negative int up to "
                                          r"4294967294 \(the test set is drawn with seed \+ 1\)"),
        (["--m", str(10**14)], r"not enough memory .*--m"),
    ],
)
def test_bad_options_get_one_line_and_status_2(argv, message, capsys):
    status = main(["train", "--iterations", "1"] + argv)
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("micrograd-dls: error: ")
    assert re.search(message, lines[0]), lines[0]


def test_a_bad_h5_file_is_one_line_too(tmp_path, capsys):
    path = tmp_path / "empty.h5"
    h5py = pytest.importorskip("h5py")
    with h5py.File(path, "w") as f:
        f.create_dataset("something", data=np.zeros(3))
    assert main(["train", "--data", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "course's layout" in err[0]


def test_flower_comparison_shows_why_hidden_layers_exist():
    (lr_name, lr_acc), (nn_name, nn_acc) = cli.flower_comparison(iterations=2000)
    assert lr_name == "logistic regression" and "4 tanh" in nn_name
    assert lr_acc <= 0.6 and nn_acc >= 0.85


def test_demo_prints_both_accuracies_side_by_side(monkeypatch, capsys):
    real = cli.flower_comparison
    monkeypatch.setattr(cli, "flower_comparison", lambda: real(iterations=300))
    cli._demo_training()
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.rstrip().endswith("%")]
    assert [r.split()[0] for r in rows] == ["logistic", "shallow"]
    assert len({r.rindex("%") for r in rows}) == 1  # one column


def test_save_into_a_folder_is_refused_before_training(tmp_path, capsys):
    assert main(["train", "--iterations", "1", "--save", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert f"--save {str(tmp_path)!r} is a folder" in captured.err


def test_a_diverging_run_ends_with_one_line_and_status_2(capsys):
    status = main(["train", "--data", "noisy_moons", "--m", "20", "--lr", "1e300",
                   "--iterations", "3", "--print-every", "1", "--no-progress"])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1
    assert err.startswith("micrograd-dls: error: the cost became nan") and "1e+300" in err


def test_ctrl_c_ends_with_one_line_and_status_130(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_train", interrupted)
    assert main(["train"]) == 130
    assert capsys.readouterr().err == "micrograd-dls: interrupted\n"
