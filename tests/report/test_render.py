import os
import threading

import matplotlib.pyplot as plt
import pytest

from trendkit.report import TrendReport, render

forking = pytest.mark.skipif(not render.can_fork(), reason="needs Linux, 2+ cores, 1 thread")


@pytest.fixture(scope="module")
def sequential(demo_result):
    plt.close("all")
    out = render.render_all(render.figure_makers(demo_result), svg=True, workers=1)
    assert plt.get_fignums() == []  # every figure drawn there was closed
    return out


def test_every_figure_is_drawn_slowest_first_and_encoded(demo_result, sequential):
    assert list(sequential)[0] == "theme_panels"
    for out in sequential.values():
        assert out.png.startswith(b"\x89PNG") and out.svg.lstrip().startswith(b"<?xml")
    report = TrendReport(demo_result)
    assert set(sequential) == set(report.figures)
    report.close()


@forking
def test_two_processes_give_the_same_bytes(demo_result, sequential):
    both = render.render_all(render.figure_makers(demo_result), svg=True, workers=2)
    assert list(both) == list(sequential)
    assert all(both[name] == sequential[name] for name in sequential)  # PNG and SVG alike


@forking
def test_a_worker_that_dies_is_made_up_for(demo_result, sequential, monkeypatch):
    def dies_after_taking_one(makers, names, svg, close, counter, send):
        with counter.get_lock():
            counter.value += 1  # takes a figure, then dies without sending anything
        os._exit(1)

    monkeypatch.setattr(render, "_worker", dies_after_taking_one)
    out = render.render_all(render.figure_makers(demo_result), svg=True, workers=2)
    assert out == sequential


def test_no_fork_beside_other_python_threads():
    """A Jupyter kernel has threads that may hold locks a forked child would wait on."""
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not render.can_fork()
    finally:
        release.set()
        thread.join()


def test_report_keeps_figures_a_notebook_already_holds(demo_result, tmp_path):
    report = TrendReport(demo_result)
    held = report.figures
    written = report.save_figures(tmp_path, workers=1)
    assert report.figures is held and all(plt.fignum_exists(f.number) for f in held.values())
    assert [p.stem for p in written if p.suffix == ".png"] == list(held)  # report order
    report.close()
