"""One no_grad() object shared by two threads: each thread leaves with the modes it entered with."""

import threading

from autograd import Value, detect_anomaly, graph, no_grad


def test_a_shared_no_grad_object_left_by_two_threads_out_of_order_keeps_each_threads_modes():
    shared = no_grad()                                          # as a module's NO_GRAD = no_grad(), used by both
    a_entered, b_entered, a_left = threading.Event(), threading.Event(), threading.Event()
    seen: dict = {}

    def a() -> None:
        with detect_anomaly():
            with shared:
                a_entered.set()
                b_entered.wait(10)
            seen["a anomaly"] = graph.mode.anomaly              # still inside A's own detect_anomaly()
            seen["a nan caught"] = False
            try:
                Value(float("nan")) * 2.0
            except FloatingPointError:
                seen["a nan caught"] = True
            a_left.set()

    def b() -> None:
        a_entered.wait(10)
        with shared:
            b_entered.set()
            a_left.wait(10)
        seen["b anomaly"] = graph.mode.anomaly                  # B never entered detect_anomaly()
        seen["b grad"] = graph.is_grad_enabled()

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert seen == {"a anomaly": True, "a nan caught": True, "b anomaly": False, "b grad": True}
    assert graph.mode.fast and graph.is_grad_enabled() and not graph.mode.anomaly


def test_a_shared_no_grad_object_nested_in_one_thread_still_restores_in_order():
    shared = no_grad()
    with shared:
        with graph.enable_grad():
            with shared:
                assert not graph.is_grad_enabled()
            assert graph.is_grad_enabled()
        assert not graph.is_grad_enabled()
    assert graph.is_grad_enabled() and graph.mode.fast
