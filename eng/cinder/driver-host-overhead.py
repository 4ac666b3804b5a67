#!/usr/bin/python3
"""Per-call overhead of Kiln's driver host process boundary (docs/benchmarks.md, "Cinder driver host").

Runs the same calls on Cinder's FakeLoggingVolumeDriver twice: directly in this process, and through
src/Kiln.Drivers.Cinder/cinder-driver-host.py over its JSON-lines protocol (one request at a time, as a
single Kiln operation does), and prints the median and 95th percentile of each. Also times the host's
start-up (process start, Cinder import, load, do_setup). Not part of the test suite.

    /usr/bin/python3 eng/cinder/driver-host-overhead.py [N]
"""

import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
HOST = os.path.join(HERE, '..', '..', 'src', 'Kiln.Drivers.Cinder', 'cinder-driver-host.py')
DRIVER = 'cinder.tests.fake_driver.FakeLoggingVolumeDriver'
N = int(sys.argv[1]) if len(sys.argv) > 1 else 2000


def summary(name, samples):
    samples = sorted(samples)
    p50 = statistics.median(samples) * 1e6
    p95 = samples[int(len(samples) * 0.95) - 1] * 1e6
    print('%-34s n=%-5d p50 %8.1f us   p95 %8.1f us' % (name, len(samples), p50, p95))
    return p50


class Remote(object):
    def __init__(self):
        started = time.perf_counter()
        self.proc = subprocess.Popen(['/usr/bin/python3', '-u', HOST], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1)
        self.next = 0
        self.call('load', {'backend': 'bench', 'host': 'bench@bench', 'volume_driver': DRIVER,
                           'options': {'volume_backend_name': 'bench'}, 'log_level': 'WARNING'})
        self.call('do_setup')
        self.call('check_for_setup_error')
        self.startup = time.perf_counter() - started

    def call(self, method, params=None):
        self.next += 1
        self.proc.stdin.write(json.dumps({'id': self.next, 'method': method, 'params': params or {}}) + '\n')
        self.proc.stdin.flush()
        response = json.loads(self.proc.stdout.readline())
        if 'error' in response:
            raise RuntimeError(response['error'])
        return response.get('result')

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def direct_driver():
    import logging
    logging.disable(logging.INFO)
    # The host program as a module: the same Host class (object building included), called without the pipe.
    spec = importlib.util.spec_from_file_location('kiln_driver_host', HOST)
    module = importlib.util.module_from_spec(spec)
    saved = sys.stdout
    spec.loader.exec_module(module)
    sys.stdout = saved
    h = module.Host()
    h.load({'backend': 'bench', 'host': 'bench@bench', 'volume_driver': DRIVER,
            'options': {'volume_backend_name': 'bench'}, 'log_level': 'WARNING'})
    h.call('do_setup', {})
    h.call('check_for_setup_error', {})
    return h


def timed(fn, n):
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def main():
    remote = Remote()
    print('host start-up (spawn, import Cinder, load, do_setup, check): %.2f s' % remote.startup)
    direct = direct_driver()

    def vol():
        return {'id': str(uuid.uuid4()), 'size': 1}

    results = {}
    for name, local, over in [
        ('ping (protocol only)', lambda: None, lambda: remote.call('ping')),
        ('get_volume_stats(refresh=True)', lambda: direct.call('get_volume_stats', {'refresh': True}),
         lambda: remote.call('get_volume_stats', {'refresh': True})),
        ('create_volume + delete_volume', None, None),
    ]:
        if local is None:
            def local():
                v = vol()
                direct.call('create_volume', {'volume': v})
                direct.call('delete_volume', {'volume': v})

            def over():
                v = vol()
                remote.call('create_volume', {'volume': v})
                remote.call('delete_volume', {'volume': v})
        timed(local, 50)
        timed(over, 50)
        d = summary('direct   ' + name, timed(local, N))
        r = summary('via host ' + name, timed(over, N))
        results[name] = r - d
    print()
    for name, extra in results.items():
        print('overhead of the process boundary, %-32s %8.1f us (p50)' % (name + ':', extra))
    remote.close()


if __name__ == '__main__':
    main()
