#!/usr/bin/python3
"""CPU and wall time of one driver host start, spawned versus forked from the zygote (docs/benchmarks.md).

A host start is what every (re-)initialization attempt pays before its driver's do_setup: a process, Cinder's
imports, `load` (configuration, the driver class, its construction) and do_setup. Measured for two drivers:
Cinder's FakeLoggingVolumeDriver (its package, cinder.tests, monkey-patches eventlet on import) and the
side-by-side driver eng/cinder/late_storage_driver.py (a plain VolumeDriver subclass).

- spawned: `python3 -u cinder-driver-host.py` per start, as Kiln did before the zygote (and does with
  driver_host_prefork = false); CPU from the children's rusage;
- forked: one zygote (`--zygote`, its own start measured once), then a host forked per start over its Unix socket;
  CPU from /proc/<pid>/stat of the host before it ends.

    /usr/bin/python3 eng/cinder/host-start-cost.py [N]
"""

import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HOST = os.path.join(HERE, '..', '..', 'src', 'Kiln.Drivers.Cinder', 'cinder-driver-host.py')
N = int(sys.argv[1]) if len(sys.argv) > 1 else 3
TICK = os.sysconf('SC_CLK_TCK')


def drivers(directory):
    with open(os.path.join(directory, 'ready_at'), 'w') as f:
        f.write('0\n')
    return [
        ('FakeLoggingVolumeDriver', 'cinder.tests.fake_driver.FakeLoggingVolumeDriver', {}),
        ('LateStorageDriver', 'late_storage_driver.LateStorageDriver', {'late_storage_dir': directory}),
    ]


def conversation(reader, writer, driver, options):
    for rid, (method, params) in enumerate([
            ('load', {'backend': 'bench', 'host': 'bench@bench', 'volume_driver': driver, 'options': options,
                      'log_level': 'WARNING'}),
            ('do_setup', {})], 1):
        writer.write(json.dumps({'id': rid, 'method': method, 'params': params}) + '\n')
        writer.flush()
        response = json.loads(reader.readline())
        if 'error' in response:
            raise RuntimeError(response['error'])


def spawned(driver, options):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, '-u', HOST], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    conversation(proc.stdout, proc.stdin, driver, options)
    wall = time.perf_counter() - started
    proc.stdin.close()
    proc.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cpu_of(pid):
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


class Zygote(object):
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='kiln-zygote-bench-')
        self.path = os.path.join(self.dir, 'fork.sock')
        started = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, '-u', HOST, '--zygote', self.path], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.ready = json.loads(self.proc.stdout.readline())
        self.wall = time.perf_counter() - started
        self.token = 0

    def fork(self, driver, options):
        self.token += 1
        started = time.perf_counter()
        streams = []
        for stream in ('protocol', 'log'):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(self.path)
            s.sendall((json.dumps({'fork': str(self.token), 'stream': stream}) + '\n').encode())
            streams.append(s)
        reader, writer = streams[0].makefile('r'), streams[0].makefile('w')
        pid = json.loads(reader.readline())['hello']['pid']
        conversation(reader, writer, driver, options)
        wall = time.perf_counter() - started
        cpu = cpu_of(pid)
        for f in (reader, writer, *streams):
            f.close()
        json.loads(self.proc.stdout.readline())  # its exit, reaped by the zygote
        return wall, cpu

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def report(name, samples):
    walls, cpus = [w for w, _ in samples], [c for _, c in samples]
    print('%-44s n=%d  wall median %6.2f s (min %5.2f)   CPU median %5.2f s (min %5.2f)' % (
        name, len(samples), statistics.median(walls), min(walls), statistics.median(cpus), min(cpus)))


def main():
    directory = tempfile.mkdtemp(prefix='kiln-host-cost-')
    os.environ['PYTHONPATH'] = HERE + (os.pathsep + os.environ['PYTHONPATH'] if os.environ.get('PYTHONPATH') else '')
    print('load average %s' % ' '.join('%.1f' % x for x in os.getloadavg()))
    zygote = Zygote()
    print('zygote start (once per Kiln process): wall %.2f s, import %.2f s of CPU' % (
        zygote.wall, zygote.ready['import_cpu_seconds']))
    for label, driver, options in drivers(directory):
        report('spawned host, %s' % label, [spawned(driver, options) for _ in range(N)])
        report('forked host,  %s' % label, [zygote.fork(driver, options) for _ in range(N)])
    zygote.close()


if __name__ == '__main__':
    main()
