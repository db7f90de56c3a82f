"""Web and worker processes freeze their start-up objects out of the garbage collector's full collections.

A worker's full collection walked every object left by start-up: 20-135 ms measured, landing on whichever
task set it off (casp.runtime.startup_objects_freeze). Frozen objects are never walked, nor collected.
"""

import gc
import importlib
import sys

import pytest
from celery import signals

from casp import celery as casp_celery
from casp.runtime import startup_objects_freeze


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_objects_alive_at_the_freeze_are_left_out_of_every_later_collection(unfrozen):
    survivors = [[i] for i in range(50_000)]  # tracked objects, as start-up leaves behind
    garbage = [[] for _ in range(1_000)]
    for item in garbage:
        item.append(item)  # reference cycles: only a collection frees them
    before = gc.get_freeze_count()
    startup_objects_freeze()
    assert gc.get_freeze_count() >= before + len(survivors)
    del garbage
    assert gc.collect() < 1_000  # cycles made before the freeze stay: the collector no longer looks at them
    late = [[] for _ in range(500)]
    for item in late:
        item.append(item)
    del late, item
    assert gc.collect() >= 500  # objects made after the freeze are collected as before
    assert survivors[-1] == [49_999]


def test_a_web_process_freezes_once_the_application_is_loaded(unfrozen):
    assert gc.get_freeze_count() == 0
    if "casp.wsgi" in sys.modules:
        importlib.reload(sys.modules["casp.wsgi"])
    else:
        importlib.import_module("casp.wsgi")
    assert gc.get_freeze_count() > 10_000  # Django, the apps, the URL patterns


def test_a_worker_freezes_in_the_process_that_runs_its_tasks():
    for signal in (signals.worker_ready, signals.worker_process_init):
        receivers = [receiver for _key, receiver in signal.receivers]  # connected with weak=False: the functions
        assert casp_celery._startup_objects_freeze in receivers, signal
