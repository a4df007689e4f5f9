import multiprocessing
import os
import threading
import time

import matplotlib.pyplot as plt
import pytest

import trendkit
from trendkit.report import TrendReport, render

forking = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                             reason="needs the fork start method (Linux)")


def makers_noting_pids(result, folder):
    """The result's figure makers, each noting which process drew it."""
    def noting(name, make):
        def draw():
            (folder / name).write_text(str(os.getpid()))
            return make()
        return draw
    return {name: noting(name, make) for name, make in render.figure_makers(result).items()}


@pytest.fixture(scope="module")
def sequential(demo_result):
    plt.close("all")
    makers = render.figure_makers(demo_result)
    out = render.render_all(makers, svg=list(makers), workers=1)
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
def test_two_processes_draw_the_same_bytes(demo_result, sequential, tmp_path):
    makers = makers_noting_pids(demo_result, tmp_path)
    both = render.render_all(makers, svg=list(makers), workers=2)
    assert list(both) == list(sequential)
    assert all(both[name] == sequential[name] for name in sequential)  # PNG and SVG alike
    drawn_by = {int(p.read_text()) for p in tmp_path.iterdir()}
    assert len(drawn_by) == 2 and os.getpid() in drawn_by  # the worker drew some of them


def took_one_then(fate):
    def worker(makers, names, svg, close, counter, send):
        with counter.get_lock():
            counter.value += 1  # takes the slowest figure, then never sends it
        fate(counter)
    return worker


def dies(counter):
    os._exit(1)


def hangs(counter):
    time.sleep(600)


def dies_holding_the_lock(counter):
    counter.get_lock().acquire()
    os._exit(1)


@forking
@pytest.mark.parametrize("fate", [dies, hangs, dies_holding_the_lock])
def test_what_a_failed_worker_took_is_drawn_here(demo_result, sequential, monkeypatch, fate):
    monkeypatch.setattr(render, "_worker", took_one_then(fate))
    monkeypatch.setattr(render, "WAIT", 2)
    makers = render.figure_makers(demo_result)
    start = time.perf_counter()
    assert render.render_all(makers, svg=list(makers), workers=2) == sequential
    assert time.perf_counter() - start < 60  # a hung worker is not waited for


def test_no_fork_beside_other_python_threads_or_with_a_screen_backend(monkeypatch):
    """A Jupyter kernel has threads that may hold locks a forked child would wait on; a
    GUI backend would open windows from the child over the parent's display connection."""
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not render.can_fork()
    finally:
        release.set()
        thread.join()
    monkeypatch.setitem(plt.rcParams, "backend", "TkAgg")
    assert not render.can_fork()


def test_report_keeps_figures_a_notebook_already_holds(demo_result, tmp_path):
    report = TrendReport(demo_result)
    held = report.figures
    written = report.save_figures(tmp_path, workers=2)
    assert report.figures is held and all(plt.fignum_exists(f.number) for f in held.values())
    assert [p.stem for p in written if p.suffix == ".png"] == list(held)  # report order
    report.close()


def test_the_document_map_gets_no_svg(tmp_path, monkeypatch):
    """Regression: it was encoded as SVG (seconds, megabytes) and then thrown away."""
    result = trendkit.analyze(trendkit.load_frame(trendkit.make_demo_corpus(n_docs=300)),
                              cache=False)
    encoded = []
    real = render.render
    monkeypatch.setattr(render, "render", lambda fig, svg=False: encoded.append(svg) or
                        real(fig, svg))
    written = {p.name for p in TrendReport(result).save_figures(tmp_path, workers=1)}
    assert "document_map.png" in written and "document_map.svg" not in written
    assert encoded.count(False) == 1 and len(encoded) == len(render.figure_makers(result))
