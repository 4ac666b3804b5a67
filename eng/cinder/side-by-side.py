#!/usr/bin/python3
"""The same upstream-style Cinder driver under Debian's cinder-volume and under `kiln serve`, storage ready late.

docs/drivers/cinder.md, "Side by side with cinder-volume". The driver is eng/cinder/late_storage_driver.py (a
subclass of Cinder's VolumeDriver): its do_setup raises VolumeBackendAPIException until READY_AFTER seconds after
its first attempt, and logs every attempt with its time and process id (times below count from that first attempt,
so the machine's speed at importing Cinder does not change the comparison). The backend section is the same
text in cinder.conf and kiln.conf.

1. cinder-volume: Cinder's own entry point (cinder.cmd.volume:main, what Debian's /usr/bin/cinder-volume of the
   cinder-volume package runs), on a throwaway cinder.conf: SQLite database in a temporary directory
   (`cinder-manage db sync` first), oslo.messaging's in-process `fake://` transport (no broker), lock_path,
   state_path and tooz coordination in the same directory. Observed for OBSERVE seconds: do_setup attempts,
   "Driver initialization completed successfully." in its log, and the heartbeats of its service record
   (services.report_count: cinder-volume stops heartbeating while its driver is not initialized, so the
   scheduler sees the service down and places nothing on it).
2. kiln serve (this repository's ./kiln, Kiln's defaults for the lifecycle), noauth on 127.0.0.1 and a free port:
   do_setup attempts, the backend's driver_state (os-services with X-Kiln-Extensions), and a volume created
   through the API once the backend is ready.

Loopback only, everything under one temporary directory, each service stopped by the process group it was
started in. Not part of the test suite (it takes about two minutes):

    /usr/bin/python3 eng/cinder/side-by-side.py [--ready-after 20] [--observe 90] [--keep]
"""

import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
PYTHON = '/usr/bin/python3'

SECTION = """[late]
volume_driver = late_storage_driver.LateStorageDriver
volume_backend_name = late
late_storage_dir = {dir}
"""


def attempts(storage):
    """(unix time, pid, outcome) of each do_setup the driver logged."""
    path = os.path.join(storage, 'attempts.log')
    if not os.path.exists(path):
        return []
    rows = []
    with open(path) as log:
        for line in log:
            parts = line.split()
            if len(parts) >= 4 and parts[2] == 'do_setup':
                rows.append((float(parts[0]), int(parts[1]), parts[3]))
    return rows


def prepare_storage(directory, ready_after):
    storage = os.path.join(directory, 'storage')
    os.makedirs(storage)
    with open(os.path.join(storage, 'ready_after'), 'w') as f:
        f.write('%.3f\n' % ready_after)
    return storage


def storage_clock(storage):
    """The time of the first do_setup (the storage's start): attempts and readiness are measured from it."""
    rows = attempts(storage)
    return rows[0][0] if rows else None


def stop(process):
    """Stops a service started in its own session: the group is the one we made, its id the PID we started."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def env_with_driver():
    env = dict(os.environ)
    env['PYTHONPATH'] = HERE + (os.pathsep + env['PYTHONPATH'] if env.get('PYTHONPATH') else '')
    return env


# -- cinder-volume -------------------------------------------------------------------------------------------------

def run_cinder(directory, ready_after, observe):
    for sub in ('state', 'lock'):
        os.makedirs(os.path.join(directory, sub))
    conf = os.path.join(directory, 'cinder.conf')
    log = os.path.join(directory, 'cinder-volume.log')
    storage_dir = os.path.join(directory, 'storage')
    with open(conf, 'w') as f:
        f.write('[DEFAULT]\nenabled_backends = late\nhost = sbs\nmy_ip = 127.0.0.1\n')
        f.write('state_path = %s\nlock_path = %s\n' % (os.path.join(directory, 'state'), os.path.join(directory, 'lock')))
        f.write('transport_url = fake:/\nlog_file = %s\n' % log)
        f.write('[database]\nconnection = sqlite:///%s\n' % os.path.join(directory, 'cinder.sqlite'))
        f.write('[oslo_concurrency]\nlock_path = %s\n' % os.path.join(directory, 'lock'))
        f.write('[coordination]\nbackend_url = file://%s\n' % os.path.join(directory, 'state'))
        f.write(SECTION.format(dir=storage_dir))
    subprocess.run([PYTHON, '-c', 'import sys; from cinder.cmd.manage import main; sys.exit(main())',
                    '--config-file', conf, 'db', 'sync'], check=True, cwd=directory,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    started = time.time()
    storage = prepare_storage(directory, ready_after)
    process = subprocess.Popen(
        [PYTHON, '-c', "import sys; sys.argv[0] = 'cinder-volume'; from cinder.cmd.volume import main; sys.exit(main())",
         '--config-file', conf],
        cwd=directory, env=env_with_driver(), start_new_session=True,
        stdout=open(os.path.join(directory, 'cinder-volume.out'), 'w'), stderr=subprocess.STDOUT)
    initialized_at = None
    try:
        while time.time() < (storage_clock(storage) or started) + observe:
            if initialized_at is None and os.path.exists(log):
                with open(log) as f:
                    if 'Driver initialization completed successfully.' in f.read():
                        initialized_at = time.time()
            if process.poll() is not None:
                break
            time.sleep(0.5)
    finally:
        stop(process)

    with open(log) as f:
        text = f.read()
    db = sqlite3.connect(os.path.join(directory, 'cinder.sqlite'))
    row = db.execute("SELECT report_count FROM services WHERE \"binary\" = 'cinder-volume' AND host = 'sbs@late'").fetchone()
    db.close()
    initialized = initialized_at is not None or 'Driver initialization completed successfully.' in text
    return {
        'name': 'cinder-volume (Cinder %s)' % cinder_version(),
        't0': storage_clock(storage) or started,
        'started': started,
        'attempts': attempts(storage),
        'initialized': initialized,
        'usable_at': initialized_at,
        'service': 'record created, %d heartbeats; %d x "not sending heartbeat. Service will appear down"' % (
            row[0] if row else 0, text.count('not sending heartbeat')),
        'volume': 'not tried (no API or scheduler in this run)' if initialized else
                  'impossible: every volume RPC checks require_driver_initialized, and the scheduler skips a down service',
        'observed': observe,
        'log': log,
    }


def cinder_version():
    out = subprocess.run([PYTHON, '-c', 'from cinder import version; print(version.version_string())'],
                         capture_output=True, text=True)
    return out.stdout.strip() or '?'


# -- kiln serve ----------------------------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def http(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        'Content-Type': 'application/json', 'X-Kiln-Extensions': 'true', 'OpenStack-API-Version': 'volume 3.0'})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b'null')


def run_kiln(directory, ready_after, observe, kiln):
    conf = os.path.join(directory, 'kiln.conf')
    port = free_port()
    storage_dir = os.path.join(directory, 'storage')
    with open(conf, 'w') as f:
        f.write('[DEFAULT]\nenabled_backends = late\nhost = sbs\nstate_path = %s\n' % os.path.join(directory, 'data'))
        f.write('osapi_volume_listen = 127.0.0.1\nosapi_volume_listen_port = %d\n' % port)
        f.write(SECTION.format(dir=storage_dir))
    base = 'http://127.0.0.1:%d/v3/admin' % port

    started = time.time()
    storage = prepare_storage(directory, ready_after)
    process = subprocess.Popen([kiln, 'serve', '--config', conf], cwd=directory, env=env_with_driver(),
                               start_new_session=True, stdout=open(os.path.join(directory, 'kiln.log'), 'w'),
                               stderr=subprocess.STDOUT)
    ready_at = usable_at = None
    states = []
    volume_text = 'not created'
    try:
        while time.time() < (storage_clock(storage) or started) + observe and process.poll() is None:
            try:
                services = http('GET', base + '/os-services')['services']
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.25)
                continue
            late = [s for s in services if s.get('host') == 'sbs@late']
            state = late[0].get('driver_state') if late else None
            if state and (not states or states[-1][1] != state):
                states.append((time.time(), state))
            if state == 'ready' and ready_at is None:
                ready_at = time.time()
                created = http('POST', base + '/volumes', {'volume': {'size': 1, 'name': 'side-by-side'}})
                vid = created['volume']['id']
                while time.time() < storage_clock(storage) + observe:
                    volume = http('GET', base + '/volumes/' + vid)['volume']
                    if volume['status'] != 'creating':
                        break
                    time.sleep(0.1)
                volume_text = '%s (%s)' % (volume['status'], vid)
                if volume['status'] == 'available':
                    usable_at = time.time()
                break
            time.sleep(0.25)
    finally:
        stop(process)

    t0 = storage_clock(storage) or started
    return {
        'name': 'kiln serve (driver host process, defaults)',
        't0': t0,
        'started': started,
        'attempts': attempts(storage),
        'initialized': ready_at is not None,
        'usable_at': usable_at,
        'service': 'driver_state ' + ' -> '.join('%s@%.1fs' % (s, t - t0) for t, s in states),
        'volume': volume_text,
        'observed': observe,
        'log': os.path.join(directory, 'kiln.log'),
    }


# -- report --------------------------------------------------------------------------------------------------------

def report(results, ready_after):
    rows = [
        ('do_setup attempts', lambda r: str(len(r['attempts']))),
        ('first attempt (s after the service was started)', lambda r: '%.1f' % (r['t0'] - r['started'])),
        ('attempt times (s after the first)', lambda r: ', '.join(
            '%.1f%s' % (t - r['t0'], '' if o == 'fail' else ' ok') for t, _, o in r['attempts']) or '-'),
        ('processes', lambda r: str(len({p for _, p, _ in r['attempts']}))),
        ('attempts after storage ready (%d s after the first)' % ready_after,
         lambda r: str(sum(1 for t, _, _ in r['attempts'] if t >= r['t0'] + ready_after))),
        ('driver initialized', lambda r: 'yes' if r['initialized'] else 'no (observed %d s)' % r['observed']),
        ('service / backend', lambda r: r['service']),
        ('volume create', lambda r: r['volume']),
        ('storage ready -> backend usable', lambda r: '%.1f s' % (r['usable_at'] - r['t0'] - ready_after)
         if r['usable_at'] else 'never (within %d s)' % r['observed']),
    ]
    print()
    print('| | ' + ' | '.join(r['name'] for r in results) + ' |')
    print('|---|' + '---|' * len(results))
    for label, cell in rows:
        print('| %s | %s |' % (label, ' | '.join(cell(r) for r in results)))
    print()
    for r in results:
        print('%s log: %s' % (r['name'], r['log']))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--ready-after', type=float, default=20, help='seconds after start the storage becomes ready')
    parser.add_argument('--observe', type=float, default=90, help='seconds each service is watched at most')
    parser.add_argument('--kiln', default=os.path.join(ROOT, 'kiln'), help='the kiln executable (default: ./kiln)')
    parser.add_argument('--keep', action='store_true', help='keep the temporary directory (logs, databases)')
    parser.add_argument('--only', choices=['cinder', 'kiln'], help='run one side only')
    args = parser.parse_args()
    args.kiln = os.path.abspath(args.kiln)

    directory = tempfile.mkdtemp(prefix='kiln-side-by-side-')
    results = []
    try:
        if args.only != 'kiln':
            cinder_dir = os.path.join(directory, 'cinder')
            os.makedirs(cinder_dir)
            print('cinder-volume: watching for %d s ...' % args.observe, file=sys.stderr)
            results.append(run_cinder(cinder_dir, args.ready_after, args.observe))
        if args.only != 'cinder':
            # Build (if a source is newer than the last build) before the clock starts.
            subprocess.run([args.kiln, '--version'], check=True, stdout=subprocess.DEVNULL)
            kiln_dir = os.path.join(directory, 'kiln')
            os.makedirs(kiln_dir)
            print('kiln serve: watching for at most %d s ...' % args.observe, file=sys.stderr)
            results.append(run_kiln(kiln_dir, args.ready_after, args.observe, args.kiln))
        report(results, args.ready_after)
    finally:
        if args.keep:
            print('kept %s' % directory)
        else:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == '__main__':
    main()
