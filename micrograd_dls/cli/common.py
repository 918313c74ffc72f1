"""What the commands share: the one-line usage error, and writing pictures, pages and
files so that a failure says which file and why.

This module never knows which command runs; it knows the drawing functions of
``viz`` only through their results (a Graphviz picture, a stepper page).
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Callable
from typing import Any, NoReturn

from ..checks import PATH_LIMIT, quote, shown
from ..viz import GraphvizNotFoundError, playground, save_html, save_svg, step_through

__all__ = ["Parser", "UsageError", "check_html", "check_output", "paragraphs", "path_text",
           "save_pictures", "save_playground", "save_stepper", "write_whole"]


class UsageError(Exception):
    """A mistake in what the user typed: printed as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse with one bounded line for each mistake, raised as a UsageError."""

    def error(self, message: str) -> NoReturn:  # one line, status 2
        # argparse's messages quote what was typed in full: bound and escape them.
        raise UsageError(shown(message, limit=300))


def path_text(path: str | os.PathLike[str]) -> str:
    """A file name as the terminal can show it: bytes that are not valid in the file
    system's encoding escaped (``bad\\xff.h5``), control characters too.

    Python hands such a name over with lone surrogates in it (``bad\\udcff.h5``), which a
    UTF-8 ``print`` refuses; this text prints anywhere and still names the file.
    """
    name = os.fspath(path)
    try:
        raw = name if isinstance(name, bytes) else os.fsencode(name)
        text = raw.decode(sys.getfilesystemencoding(), "backslashreplace")
    except UnicodeError:  # a surrogate no file system decoding makes
        text = name.encode("utf-8", "backslashreplace").decode("utf-8")
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


def paragraphs(*texts: str) -> str:
    """Each text filled to 79 columns, a blank line between them (a command's help)."""
    return "\n\n".join(textwrap.fill(text, 79) for text in texts)


def save_pictures(pictures: dict[str, Any], out: str) -> int:
    """Render each picture to ``out/<name>.svg`` and say where; without Graphviz's
    ``dot``, write the DOT sources instead, print how to install it, and return 1."""
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        raise UsageError(
            f"--out {quote(out, PATH_LIMIT)}: cannot create the folder ({e.strerror or e})"
        ) from None
    for name, picture in pictures.items():
        path = os.path.join(out, name + ".svg")
        try:
            print(f"wrote {path_text(save_svg(picture, path))}")
        except GraphvizNotFoundError as e:
            for other, source in pictures.items():
                _write_text(os.path.join(out, other + ".dot"), source.source)
            print(f"micrograd-dls: {e}", file=sys.stderr)
            return 1
        except OSError as e:
            raise UsageError(
                f"cannot write {quote(path, PATH_LIMIT)} ({e.strerror or e})") from None
        except RuntimeError as e:  # dot itself failed: not the user's input
            print(f"micrograd-dls: error: {e}", file=sys.stderr)
            return 1
    return 0


def _write_text(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise UsageError(
            f"cannot write {quote(path, PATH_LIMIT)} ({e.strerror or e})") from None
    print(f"wrote {path_text(path)} (DOT source)")


def check_html(path: str, option: str = "--html") -> None:
    """A page's option (--html, --playground) takes a file ending in .html (or .htm)."""
    if not path.lower().endswith((".html", ".htm")):
        raise UsageError(f"{option} {quote(path, PATH_LIMIT)}: give a file ending in .html")


def save_stepper(root: Any, path: str, show_ops: bool = True) -> int:
    """Write the page that steps through backprop of ``root`` to ``path``; 1 when
    Graphviz is missing or its layout fails (one line on stderr)."""
    check_html(path)
    try:
        stepper = step_through(root, show_ops=show_ops)
    except GraphvizNotFoundError as e:
        print(f"micrograd-dls: {e}", file=sys.stderr)
        return 1
    except RuntimeError as e:  # dot ran out of time or failed: not the user's input
        print(f"micrograd-dls: error: {e}", file=sys.stderr)
        return 1
    try:
        written = save_html(stepper, path)
    except OSError as e:
        raise UsageError(
            f"cannot write {quote(path, PATH_LIMIT)} ({e.strerror or e})") from None
    print(f"wrote {path_text(written)} -- open file://{path_text(os.path.abspath(written))} in "
          "a browser to step through backpropagation")
    return 0


def save_playground(path: str, recorder: Any, model: Any, X_test: Any = None,
                    Y_test: Any = None) -> int:
    """Write the playground page of ``model``'s training, recorded by ``recorder``, to
    ``path`` (checked beforehand with :func:`check_html` and :func:`check_output`); 1 with
    one line on stderr when the page cannot be made of what was recorded."""
    try:
        page = playground(recorder, model, X_test=X_test, Y_test=Y_test)
    except ValueError as e:  # the recorder or the model is not what the page draws
        print(f"micrograd-dls: error: --playground: {e}", file=sys.stderr)
        return 1
    try:
        written = write_whole(path, page.save)
    except (OSError, ValueError) as e:
        raise UsageError(f"--playground {quote(path, PATH_LIMIT)}: cannot write "
                         f"({getattr(e, 'strerror', None) or e})") from None
    print(f"wrote {path_text(written)} -- open file://{path_text(os.path.abspath(written))} in "
          f"a browser to watch the network learn ({len(page.frames)} recorded iterations)")
    return 0


def check_output(option: str, path: str | None, example: str) -> None:
    """A file to write must not be a folder, and its folder must exist; ``example``
    names a file the option would take (``model.npz``)."""
    if not path:
        return
    if os.path.isdir(path):
        raise UsageError(
            f"{option} {quote(path, PATH_LIMIT)} is a folder; give a file in it, e.g. "
            f"{shown(os.path.join(path, example), PATH_LIMIT)}"
        )
    if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
        raise UsageError(f"{option} {quote(path, PATH_LIMIT)}: the folder does not exist")


def write_whole(path: str, write: Callable[[str], str | os.PathLike[str]]) -> str:
    """``write(tmp)`` into a file beside ``path``, then rename it to ``path``: an error or
    Ctrl-C while writing leaves no half-written file. Returns the path written."""
    folder, name = os.path.split(os.path.abspath(path))
    root, ext = os.path.splitext(name)
    tmp = os.path.join(folder, f".{root}.{os.getpid()}.partial{ext}")
    try:
        written = write(tmp)
        os.replace(written, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path
