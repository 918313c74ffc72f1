"""Test-session set-up shared by tests/ and notebooks/.

Every test is *numerical* (run a second time under another BLAS kernel by
``make test-kernel``, see .ci/run) unless its module declares
``pytestmark = pytest.mark.drawing``: pictures, pages and parsing, whose
results do not depend on floating-point rounding. Notebooks are numerical.
"""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "drawing: pictures, pages and parsing; not rerun under a second BLAS kernel"
    )


def pytest_report_header(config: pytest.Config) -> str:
    """Which BLAS kernel the numbers came from: they differ in their last digits between
    kernels (fused multiply-add or not), so a failure report should say."""
    try:
        import numpy  # noqa: F401  (loads the BLAS, so threadpoolctl can see it)
        from threadpoolctl import threadpool_info

        blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    except ImportError:
        blas = []
    kernels = ", ".join(
        f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} kernel, "
        f"{i.get('num_threads')} threads"
        for i in blas
    )
    chosen = os.environ.get("OPENBLAS_CORETYPE")
    return f"BLAS: {kernels or 'unknown'}" + (f" (OPENBLAS_CORETYPE={chosen})" if chosen else "")
