"""The `train` command and the demo's training part."""

import re
import sys

import numpy as np
import pytest

from micrograd_dls import cli, nn
from micrograd_dls.checks import PATH_LIMIT, quote
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
        # 2 sets of X (2, m) and Y (1, m): 2 * 3 * 10**14 * 8 bytes
        (["--m", str(10**14)], r"--m 100000000000000 would need 4\.8e15 bytes for the training "
                               r"and test sets \(X 2 x 10\*\*14 float64 and Y 1 x 10\*\*14 "
                               r"float64, each twice\), more than this machine's memory"),
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
    real = cli.demo.flower_comparison
    monkeypatch.setattr(cli.demo, "flower_comparison", lambda: real(iterations=300))
    cli.demo.print_flower_comparison()
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.rstrip().endswith("%")]
    assert [r.split()[0] for r in rows] == ["logistic", "shallow"]
    assert len({r.rindex("%") for r in rows}) == 1  # one column


def test_demo_shows_an_accuracy_on_400_points_unrounded(monkeypatch, capsys):
    # k/400 is a multiple of 0.25 %: 90.75 % is shown so, as the note under it says
    monkeypatch.setattr(cli.demo, "flower_comparison",
                        lambda: [("logistic regression", 0.47), ("shallow", 0.9075)])
    cli.demo.print_flower_comparison()
    out = capsys.readouterr().out
    assert " 47.0 %" in out and " 90.75 %" in out and "90.8" not in out


def test_save_into_a_folder_is_refused_before_training(tmp_path, capsys):
    assert main(["train", "--iterations", "1", "--save", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    folder = quote(str(tmp_path), PATH_LIMIT)
    assert f"--save {folder} is a folder; give a file in it" in captured.err


def test_a_diverging_run_ends_with_one_line_and_status_2(capsys):
    status = main(["train", "--data", "noisy_moons", "--m", "20", "--lr", "1e300",
                   "--iterations", "3", "--print-every", "1", "--no-progress", "--hidden", "relu"])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1
    # nan or inf: which one overflows first depends on the BLAS kernel's rounding
    # (AVX-512 kernels give inf at iteration 1, Haswell and Prescott give nan)
    assert re.match(r"micrograd-dls: error: the cost became (nan|-?inf) at iteration 1;", err)
    assert "1e+300" in err


def test_ctrl_c_ends_with_one_line_and_status_130(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.train, "run", interrupted)
    assert main(["train"]) == 130
    assert capsys.readouterr().err == "micrograd-dls: interrupted\n"


def test_demo_and_readme_show_the_same_flower_accuracy():
    """The README's ≈ figure is what `make demo` prints for the same model, within the
    tolerance the README gives for the CPU's rounding (BLAS kernels differ after ~7,000
    iterations)."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    value, tol = map(float, re.search(r"# ≈ ([\d.]+) % \(±([\d.]+)", readme).groups())
    (_, _), (_, shallow) = cli.flower_comparison()
    assert abs(100 * shallow - value) <= tol


# --- the defaults learn; pictures; hints; Ctrl-C -------------------------------------------


def test_a_bare_train_learns_the_flower_with_the_courses_shallow_network(capsys):
    assert main(["train", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "layers [2, 4, 1], hidden tanh, output sigmoid, init small (seed 2)" in out
    assert "learning rate 1.2, 2000 iterations" in out
    assert "test set: a fresh draw of 400 planar points with seed 2" in out
    # Stable figures of the course's run (BLAS kernels agree this early; see issue 8).
    assert "Cost after iteration 0: 0.693048" in out
    assert "Cost after iteration 1000: 0.288083" in out
    assert "Cost after iteration 1999: " in out
    accuracies = {line.split()[0]: float(line.split()[2]) for line in out.splitlines()
                  if " accuracy: " in line}
    # About 90 % on both: the margins leave room for any machine's rounding.
    assert accuracies["train"] > 85 and accuracies["test"] > 85
    assert "hint:" not in out


def test_the_help_says_what_a_bare_train_does(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "With no options it trains the course's flower" in text
    assert "learning rate 1.2" in text and "2000 iterations (the course runs 10000" in text
    assert "fresh draw of the flower with another seed" in text
    assert "notebook workspace" in text


def test_a_run_that_learns_nothing_ends_with_a_hint(capsys):
    # The old defaults: relu, α = 0.0075, small weights -- the flower stays near 50 %.
    assert main(["train", "--hidden", "relu", "--lr", "0.0075", "--iterations", "300",
                 "--seed", "1", "--no-progress"]) == 0
    out = capsys.readouterr().out
    accuracy = float(out.split("train accuracy: ")[1].split()[0])
    assert accuracy <= 55  # the flower is balanced: chance is 50 %
    hint = out[out.index("hint:"):]
    assert f"hint: {accuracy:.1f} % is no better than always answering the more common " \
           "class (50.0 %)" in hint
    assert "--hidden tanh (now relu" in hint
    assert "--lr 0.075 (now 0.0075" in hint
    assert "--init deep (now small" in hint


def test_a_zero_initialisation_is_named_first_as_the_cause(capsys):
    # W = 0: every hidden unit computes the same function and gets the same gradient, so
    # the flower stays at chance whatever the activation or α (the course's week 4 lesson).
    assert main(["train", "--init", "zeros", "--iterations", "200", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "train accuracy: 50.0 %" in out
    lines = out[out.index("hint:"):].splitlines()
    assert lines[1] == (
        "  the initialisation first: --init small (now zeros: every hidden unit starts equal "
        "and gets the same gradient, so they stay equal whatever the activation or the "
        "learning rate)"
    )
    assert lines[2] == "  the activation: --hidden relu (now tanh)"
    assert lines[3].startswith("  the learning rate: --lr 12 (now 1.2;")


def test_a_missing_course_file_says_where_the_course_files_come_from(capsys):
    assert main(["train", "--data", "train_catvnoncat.h5"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no such data file: 'train_catvnoncat.h5'" in err
    assert "notebook workspace" in err and "never ships nor downloads" in err


@pytest.fixture
def saved_figures(monkeypatch):
    """The matplotlib Figures that train --plot writes, kept for inspection."""
    figure = pytest.importorskip("matplotlib.figure")
    figures = []
    real = figure.Figure.savefig

    def keep(self, *args, **kwargs):
        figures.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(figure.Figure, "savefig", keep)
    return figures


def test_plot_writes_the_cost_curve_to_the_last_printed_cost_and_the_boundary(
        tmp_path, capsys, saved_figures):
    path = tmp_path / "flower.png"
    assert main(["train", "--iterations", "250", "--print-every", "100", "--no-progress",
                 "--plot", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"wrote {path} (the cost curve and the decision boundary)" in out
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flower.png"]  # no partial file
    (figure,) = saved_figures
    costs, boundary = figure.axes
    (curve,) = costs.get_lines()
    printed = {int(line.split()[3][:-1]): float(line.split()[4]) for line in out.splitlines()
               if line.startswith("Cost after iteration")}
    assert list(printed) == [0, 100, 200, 249]
    assert list(curve.get_xdata()) == [0, 100, 200, 249]  # the course's list, then the last
    np.testing.assert_allclose(curve.get_ydata(), list(printed.values()), atol=5e-7)  # %f
    assert boundary.collections or boundary.get_children()  # the filled regions
    assert boundary.get_title().startswith("decision boundary, train accuracy")


def test_plot_for_pictures_is_the_cost_curve_alone(tmp_path, capsys, saved_figures):
    train = tmp_path / "train_set.h5"
    write_course_file(train, "train", 20, 0)
    path = tmp_path / "cats.svg"
    assert main(["train", "--data", str(train), "--layers", "27,3,1", "--lr", "0.5",
                 "--iterations", "150", "--no-progress", "--plot", str(path)]) == 0
    out = capsys.readouterr().out
    assert "test set: none: give --test" in out
    assert f"wrote {path} (the cost curve)" in out
    assert path.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    (figure,) = saved_figures
    (costs,) = figure.axes
    assert list(costs.get_lines()[0].get_xdata()) == [0, 100, 149]


@pytest.mark.parametrize("name, message", [
    ("flower.txt", r"--plot '.*flower.txt'.*: give a file ending in one of .png, .svg, .pdf"),
    ("no/such/folder/f.png", "the folder does not exist"),
    ("", "is a folder; give a file in it"),
])
def test_bad_plot_files_are_refused_before_training(tmp_path, capsys, name, message):
    pytest.importorskip("matplotlib")
    assert main(["train", "--plot", str(tmp_path / name) if name else str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert re.search(message, captured.err), captured.err


def test_plot_without_matplotlib_says_how_to_get_it_before_training(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    assert main(["train", "--plot", "flower.png"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "micrograd-dls: error: --plot needs matplotlib: pip install matplotlib "
        '(in a clone of micrograd_dls: pip install -e ".[plot]")\n'
    )


def test_save_adds_npz_as_the_model_file_does(tmp_path, capsys):
    assert main(["train", "--iterations", "2", "--no-progress", "--save",
                 str(tmp_path / "flower")]) == 0
    assert f"saved the model to {tmp_path / 'flower.npz'}" in capsys.readouterr().out
    assert load(tmp_path / "flower.npz").layer_dims == [2, 4, 1]


def test_ctrl_c_in_training_exits_130_and_saves_nothing(tmp_path, monkeypatch, capsys):
    import signal

    from micrograd_dls.nn import optim

    real_move, moves = optim._move, []

    def move_then_interrupt(p, delta):  # Ctrl-C in the middle of the 42nd update
        real_move(p, delta)
        moves.append(1)
        if len(moves) == 41 * 4 + 2:
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(optim, "_move", move_then_interrupt)
    status = main(["train", "--no-progress", "--save", str(tmp_path / "m.npz"),
                   "--plot", str(tmp_path / "p.png")])
    captured = capsys.readouterr()
    assert status == 130
    assert captured.err == "micrograd-dls: interrupted after 42 of 2000 iterations; nothing saved\n"
    assert len(moves) == 42 * 4  # the update in progress finished: 4 parameters each
    assert list(tmp_path.iterdir()) == []
    assert "train accuracy" not in captured.out


def test_ctrl_c_while_saving_leaves_no_half_written_file(tmp_path, monkeypatch, capsys):
    from micrograd_dls import nn

    def half_then_interrupt(self, path):
        with open(path, "wb") as f:
            f.write(b"PK\x03\x04 half")
        raise KeyboardInterrupt

    monkeypatch.setattr(nn.MLP, "save", half_then_interrupt)
    status = main(["train", "--iterations", "2", "--no-progress",
                   "--save", str(tmp_path / "m.npz")])
    assert status == 130 and capsys.readouterr().err == "micrograd-dls: interrupted\n"
    assert list(tmp_path.iterdir()) == []


def test_saving_over_an_old_model_replaces_it_whole(tmp_path, capsys):
    path = tmp_path / "m.npz"
    assert main(["train", "--iterations", "1", "--no-progress", "--save", str(path)]) == 0
    assert main(["train", "--iterations", "3", "--no-progress", "--seed", "5",
                 "--save", str(path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]
    assert load(path).layer_dims == [2, 4, 1]


# --- sizes beyond the machine's memory: one line before anything is allocated --------------


@pytest.fixture
def memory_16gb(monkeypatch):
    """A machine of 16 GB, whatever runs the tests."""
    from micrograd_dls import checks

    monkeypatch.setattr(checks, "physical_memory", lambda: 16 * 10**9)


def test_an_m_beyond_memory_is_one_line_with_the_figure(memory_16gb, capsys):
    # X (2, 10**20) and Y (1, 10**20), for training and for testing: 6 * 10**20 * 8 bytes
    assert main(["train", "--m", "1" + "0" * 20]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "micrograd-dls: error: --m 100000000000000000000 would need 4.8e21 bytes for the "
        "training and test sets (X 2 x 10**20 float64 and Y 1 x 10**20 float64, each twice), "
        "more than this machine's memory (16.0 GB); give a smaller --m\n"
    )


def test_layers_beyond_memory_are_one_line_with_the_figure(memory_16gb, capsys):
    # W[1] is 10**23 x 2 float64: 2 * 10**23 * 8 = 1.6 * 10**24 bytes
    assert main(["train", "--layers", "2," + "1" + "0" * 23 + ",1"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "micrograd-dls: error: --layers '2,100000000000000000000000,1': layer 1 would need "
        "1.6e24 bytes for W[1] (10**23 x 2 float64), more than this machine's memory "
        "(16.0 GB); give smaller layer sizes\n"
    )


def test_running_out_of_memory_while_training_is_one_line_too(monkeypatch, capsys):
    def out_of_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(nn.MLP, "fit", out_of_memory)
    assert main(["train", "--no-progress"]) == 2
    assert capsys.readouterr().err == (
        "micrograd-dls: error: not enough memory for this data set and model; use a smaller "
        "--m or --layers\n"
    )


# --- the playground page of the run ----------------------------------------------------------


def page_data(path) -> dict:
    """The JSON blob the playground page's script reads."""
    import json

    html = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'class="mgp-data">(.*?)</script>', html, re.S).group(1))


def test_playground_writes_a_page_of_the_recorded_iterations_and_prints_the_same_costs(
        tmp_path, capsys):
    run = ["train", "--iterations", "500", "--print-every", "100", "--no-progress"]
    assert main(run) == 0
    plain = capsys.readouterr().out
    path = tmp_path / "flower.html"
    assert main(run + ["--playground", str(path)]) == 0
    out = capsys.readouterr().out
    # fit calls its callbacks every 10 iterations now; the costs still print every 100
    assert [line for line in out.splitlines() if line.startswith("Cost after")] == \
        [line for line in plain.splitlines() if line.startswith("Cost after")] == \
        [f"Cost after iteration {i}: " + plain.split(f"iteration {i}: ")[1].split()[0]
         for i in (0, 100, 200, 300, 400, 499)]
    stride, recorded = cli.train.playground_iterations(500, 100)
    assert stride == 10 and recorded[0] == 0 and recorded[-1] == 499 and len(recorded) >= 45
    frames = page_data(path)["frames"]
    assert [f["iteration"] for f in frames] == recorded
    assert f"wrote {path} -- open file://{path} in a browser to watch the network learn " \
           f"({len(recorded)} recorded iterations)" in out
    last = frames[-1]["status"]
    assert last[1].startswith("cost J = ") and "on the 400 training examples" in last[1]
    assert "test accuracy" in last[2]  # the fresh draw of the flower is the test set
    html = path.read_text(encoding="utf-8")
    fetched = re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"([^\"]*)\"", html)
    assert fetched == [] and "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flower.html"]  # no partial file


@pytest.mark.parametrize("iterations, print_every, stride", [
    (2000, 1000, 40), (10000, 1000, 200), (2500, 1000, 50), (2000, 7, 7), (2000, 30, 30),
    (30, 1000, 1), (1, 1000, 1), (137, 1000, 2), (5000, 64, 64),
])
def test_the_playground_records_about_50_iterations_where_fit_calls_back(
        iterations, print_every, stride):
    got, recorded = cli.train.playground_iterations(iterations, print_every)
    last = iterations - 1
    assert got == stride
    # fit calls its callbacks at multiples of the stride and at the last iteration; the
    # costs print at multiples of print_every, so each of those must be one of them
    assert all(i % stride == 0 for i in range(0, last, print_every))
    assert all(i % stride == 0 or i == last for i in recorded)
    assert recorded == sorted(set(recorded)) and recorded[0] == 0 and recorded[-1] == last
    assert min(iterations, 45) <= len(recorded) <= 51
    gaps = np.diff(recorded[:-1])
    assert len(gaps) == 0 or gaps.max() <= gaps.min() + stride  # evenly spread


def test_the_costs_print_above_a_progress_bar_as_fit_prints_them(capsys):
    pytest.importorskip("tqdm")
    printer = cli.train._CostPrinter(100, 249, progress=True)
    for i in range(0, 250, 10):
        printer(i, 0.5 + i / 1000, None)
    printer(249, 0.25, None)
    assert capsys.readouterr().out.splitlines() == [
        "Cost after iteration 0: 0.500000", "Cost after iteration 100: 0.600000",
        "Cost after iteration 200: 0.700000", "Cost after iteration 249: 0.250000"]


def test_playground_needs_two_features_and_says_so_before_training(tmp_path, capsys):
    train = tmp_path / "train_set.h5"
    write_course_file(train, "train", 20, 0)
    page = tmp_path / "cats.html"
    assert main(["train", "--data", str(train), "--playground", str(page)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and not page.exists()
    assert captured.err == (
        "micrograd-dls: error: --playground draws each unit over the plane of two features "
        "(x₁, x₂); train_set.h5 has n_x = 27: give a two-dimensional data set, e.g. --data "
        "planar\n")


@pytest.mark.parametrize("name, message", [
    ("flower.png", r"--playground '.*flower.png'.*: give a file ending in .html$"),
    ("no/such/folder/f.html", r"--playground '.*f.html': the folder does not exist$"),
    ("page.html/", r"--playground '.*page.html/?' is a folder; give a file in it"),
])
def test_bad_playground_files_are_refused_before_training(tmp_path, capsys, name, message):
    (tmp_path / "page.html").mkdir()
    assert main(["train", "--playground", str(tmp_path / name)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert re.search(message, captured.err.strip()), captured.err


# --- file names that are not valid UTF-8 -----------------------------------------------------


def test_a_data_file_whose_name_is_not_utf8_is_printed_escaped(tmp_path):
    import os
    import subprocess

    name = os.fsdecode(b"cats\xff.h5")
    write_course_file(tmp_path / name, "train", 20, 0)
    model = os.fsdecode(b"model\xfe.npz")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-m", "micrograd_dls", "train", "--data", os.fsencode(name),
         "--layers", "27,3,1", "--lr", "0.5", "--iterations", "20", "--no-progress",
         "--save", os.fsencode(model)],
        cwd=tmp_path, env=env, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    out = result.stdout.decode("utf-8")
    assert "data: cats\\xff.h5, X (27, 20), Y (1, 20)" in out
    assert "saved the model to model\\xfe.npz" in out
    assert load(tmp_path / model).layer_dims == [27, 3, 1]
