#!/usr/bin/python3
"""Kiln's host for one upstream Cinder volume driver.

Kiln starts one of these per backend and initialization attempt and talks to it in JSON lines over
stdin/stdout (docs/drivers/cinder-protocol.md). Requests run on threads, so a long clone never holds
up a stats call; responses carry the request's id and may come back in any order. The driver's
logging goes to stderr, one record per line, where Kiln forwards it to its own log.

The process does as little as it can before the "load" request: Kiln kills it at its timeouts and
starts a fresh one for the next attempt, so nothing here needs to survive a failure.

With --zygote SOCKET the program is instead the one pre-imported parent per Kiln process (class Zygote): it
imports Cinder once and forks a host per attempt, which then serves exactly as a host started on its own.
"""

import json
import logging
import os
import sys
import tempfile
import threading
import time
import traceback

PROTOCOL_VERSION = 1

# Stdout belongs to the protocol: anything a driver prints would corrupt it, so the real stream is
# kept for responses and sys.stdout points at stderr from here on.
_protocol_out = sys.stdout
sys.stdout = sys.stderr
_write_lock = threading.Lock()

LOG = logging.getLogger('kiln.driver_host')

# Kiln's own options in a backend section: not the driver's, never passed to oslo.config.
KILN_OPTIONS = frozenset()


class NotSupportedDriver(Exception):
    """The driver says SUPPORTED = False and enable_unsupported_driver is not set."""


def _configure_logging(level):
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter('%(levelname)s %(name)s %(message)s'))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def _send(message):
    line = json.dumps(message, default=_json_default, separators=(',', ':'))
    with _write_lock:
        _protocol_out.write(line + '\n')
        _protocol_out.flush()


def _json_default(value):
    # Stats and connection info may hold sets, bytes or versioned objects; Kiln only needs their text.
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, bytes):
        return value.decode('utf-8', 'replace')
    return str(value)


def classify(exc):
    """The taxonomy kind of a Python exception (docs/drivers/cinder.md has the table)."""
    if isinstance(exc, NotSupportedDriver):
        return 'not_supported'
    if isinstance(exc, ImportError):
        return 'dependency'
    if isinstance(exc, NotImplementedError):
        return 'not_implemented'
    try:
        from oslo_config import cfg
        if isinstance(exc, cfg.Error):
            return 'configuration'
    except ImportError:
        pass
    try:
        from cinder import exception
        if isinstance(exc, (exception.InvalidConfigurationValue, exception.ConfigNotFound)):
            return 'configuration'
    except ImportError:
        pass
    return 'recoverable'


def error_of(exc):
    kind = classify(exc)
    message = getattr(exc, 'msg', None) or str(exc) or type(exc).__name__
    return {
        'kind': kind,
        'type': '%s.%s' % (type(exc).__module__, type(exc).__qualname__),
        'message': str(message),
    }


class Host(object):
    """One driver instance and the calls Kiln makes on it."""

    def __init__(self):
        self.driver = None
        self.backend = None
        self.context = None
        self.objects = None
        self.conf_dir = None

    # -- load ---------------------------------------------------------------------------------------

    def load(self, params):
        backend = params['backend']
        host = params.get('host') or backend
        driver_path = params['volume_driver']
        options = dict(params.get('options') or {})
        _configure_logging(params.get('log_level') or 'INFO')

        # A module that is not there at all is a dependency error found in milliseconds, before the seconds of
        # importing Cinder; then Cinder's objects (as cinder-volume registers them first) and the class itself.
        import importlib.util
        module_name = driver_path.rpartition('.')[0]
        if importlib.util.find_spec(module_name.split('.')[0]) is None:
            raise ModuleNotFoundError("No module named '%s'" % module_name.split('.')[0], name=module_name)
        from oslo_config import cfg
        from oslo_utils import importutils
        from cinder import context
        from cinder import objects
        objects.register_all()
        self.objects = objects
        from cinder.volume import configuration
        # The manager registers volume_backend_opts (volume_driver, backend_availability_zone, ...)
        # as cinder-volume has them; importing it is what makes every option name and default Cinder's.
        from cinder.volume import manager

        # The configuration is parsed before the driver's module is imported, as cinder-volume does: options a driver
        # module registers at import (some required, in [backend_defaults]) are then read lazily from its section,
        # instead of failing the parse as missing.
        sections = dict(params.get('sections') or {})
        defaults = dict(sections.pop('DEFAULT', None) or {})
        self.conf_dir = tempfile.mkdtemp(prefix='kiln-cinder-')
        path = os.path.join(self.conf_dir, 'cinder.conf')
        with open(path, 'w') as conf:
            # Without Kiln's data directory (a protocol test), the throwaway one: never Cinder's /var/lib/cinder.
            _write_section(conf, 'DEFAULT', _defaults(defaults, backend, host, params.get('state_path') or self.conf_dir))
            for name, values in sections.items():
                if name != backend:
                    _write_section(conf, name, values)
            _write_section(conf, backend, options)
        cfg.CONF(args=[], project='cinder', default_config_files=[path])
        _setup_like_cinder_volume(cfg.CONF)
        driver_class = importutils.import_class(driver_path)

        config = configuration.Configuration(manager.volume_backend_opts, config_group=backend)
        self.context = context.get_admin_context()
        driver = driver_class(configuration=config, host=host, cluster_name=None,
                              is_vol_db_empty=False, active_backend_id=None)

        # Cinder's init_host: an unsupported driver does not start unless the operator allows it.
        if not driver.supported and not config.safe_get('enable_unsupported_driver'):
            raise NotSupportedDriver(
                'Driver %s is marked unsupported (SUPPORTED = False); set enable_unsupported_driver = True '
                'in [%s] to run it anyway' % (driver_path, backend))

        # Read every option now, as the first attribute access would later: a value oslo.config cannot
        # convert is a configuration error of this attempt, not a failure of some later call.
        group = cfg.CONF[backend]
        unknown = []
        for key in sorted(options):
            if key in group:
                getattr(group, key)
            else:
                unknown.append(key)
        for key in unknown:
            LOG.warning('[%s] %s is not an option of %s or of Cinder\'s volume drivers; it is ignored',
                        backend, key, driver_path)

        # [DEFAULT] as cinder-volume reads it (Kiln's own options are not sent): a value oslo.config cannot convert is a
        # configuration error, an option nobody registered is reported as above. [backend_defaults] is every backend's
        # fallback: its options this driver registered are read now, the others may be another driver's.
        unknown_defaults = []
        for key in sorted(defaults):
            if key in cfg.CONF:
                getattr(cfg.CONF, key)
            elif not _deprecated_in_default(cfg.CONF, key):
                unknown_defaults.append(key)
        for key in unknown_defaults:
            LOG.warning('[DEFAULT] %s is not an option of Kiln, of Cinder or of %s; it is ignored', key, driver_path)
        shared = cfg.CONF[configuration.SHARED_CONF_GROUP]
        for key in sorted(sections.get(configuration.SHARED_CONF_GROUP) or {}):
            if key in shared:
                getattr(shared, key)

        self.backend = backend
        self.driver = driver
        return {
            'protocol': PROTOCOL_VERSION,
            'pid': os.getpid(),
            'driver': driver_path,
            'version': str(driver.get_version()),
            'supported': bool(driver.supported),
            'unknown_options': unknown,
            'unknown_default_options': unknown_defaults,
            'has_revert_to_snapshot': _overrides(driver, 'revert_to_snapshot'),
        }

    # -- objects ------------------------------------------------------------------------------------

    def _volume_type(self, spec):
        if not spec:
            return None
        vt = self.objects.VolumeType(context=self.context, id=spec.get('id') or spec.get('name') or 'kiln',
                                     name=spec.get('name') or 'kiln', is_public=True,
                                     extra_specs=dict(spec.get('extra_specs') or {}))
        vt.qos_specs = None
        vt.obj_reset_changes()
        return vt

    def volume(self, spec):
        """A real cinder.objects.Volume with every field a driver may lazy-load already set (no database)."""
        vid = spec['id']
        vt = self._volume_type(spec.get('volume_type'))
        vol = self.objects.Volume(
            context=self.context,
            id=vid,
            _name_id=None,
            size=int(spec['size']),
            host=spec.get('host'),
            status=spec.get('status') or 'available',
            attach_status=spec.get('attach_status') or 'detached',
            display_name=spec.get('display_name'),
            provider_location=spec.get('provider_location'),
            provider_auth=spec.get('provider_auth'),
            provider_id=spec.get('provider_id'),
            encryption_key_id=None,
            multiattach=bool(spec.get('multiattach')),
            volume_type_id=vt.id if vt else None,
            project_id=spec.get('project_id'),
            user_id=spec.get('user_id'),
            availability_zone=spec.get('availability_zone'),
            source_volid=spec.get('source_volid'),
            snapshot_id=spec.get('snapshot_id'),
        )
        vol.volume_type = vt
        vol.metadata = dict(spec.get('metadata') or {})
        vol.admin_metadata = dict(spec.get('admin_metadata') or {})
        vol.glance_metadata = {}
        vol.volume_attachment = self.objects.VolumeAttachmentList(objects=[])
        vol.consistencygroup = None
        vol.group = None
        vol.snapshots = self.objects.SnapshotList(objects=[])
        vol.cluster = None
        vol.obj_reset_changes()
        return vol

    def snapshot(self, spec):
        vol = self.volume(spec['volume'])
        snap = self.objects.Snapshot(
            context=self.context,
            id=spec['id'],
            volume_id=vol.id,
            volume_size=int(spec.get('size') or vol.size),
            status=spec.get('status') or 'available',
            provider_location=spec.get('provider_location'),
            provider_auth=spec.get('provider_auth'),
            provider_id=spec.get('provider_id'),
            display_name=spec.get('display_name'),
            project_id=vol.project_id,
            user_id=vol.user_id,
            volume_type_id=vol.volume_type_id,
            encryption_key_id=None,
        )
        snap.volume = vol
        snap.metadata = {}
        snap.cgsnapshot = None
        snap.group_snapshot = None
        snap.obj_reset_changes()
        return snap

    # -- calls --------------------------------------------------------------------------------------

    def call(self, method, params):
        if method == 'load':
            return self.load(params)
        if method == 'ping':
            return {'pid': os.getpid()}
        if self.driver is None:
            raise RuntimeError('the driver is not loaded: send "load" first')
        handler = getattr(self, 'm_' + method, None)
        if handler is None:
            raise NotImplementedError('unknown method %r' % method)
        return handler(params)

    def m_do_setup(self, params):
        self.driver.do_setup(self.context)
        return None

    def m_check_for_setup_error(self, params):
        self.driver.check_for_setup_error()
        # Cinder's init_host does this next; drivers fill their capabilities in it.
        self.driver.init_capabilities()
        self.driver.set_initialized()
        return None

    def m_get_volume_stats(self, params):
        return self.driver.get_volume_stats(refresh=params.get('refresh', True))

    def m_create_volume(self, params):
        return _model_update(self.driver.create_volume(self.volume(params['volume'])))

    def m_delete_volume(self, params):
        self.driver.delete_volume(self.volume(params['volume']))
        return None

    def m_extend_volume(self, params):
        self.driver.extend_volume(self.volume(params['volume']), int(params['new_size']))
        return None

    def m_create_snapshot(self, params):
        return _model_update(self.driver.create_snapshot(self.snapshot(params['snapshot'])))

    def m_delete_snapshot(self, params):
        self.driver.delete_snapshot(self.snapshot(params['snapshot']))
        return None

    def m_create_volume_from_snapshot(self, params):
        return _model_update(self.driver.create_volume_from_snapshot(
            self.volume(params['volume']), self.snapshot(params['snapshot'])))

    def m_create_cloned_volume(self, params):
        return _model_update(self.driver.create_cloned_volume(
            self.volume(params['volume']), self.volume(params['src_vref'])))

    def m_revert_to_snapshot(self, params):
        if not _overrides(self.driver, 'revert_to_snapshot'):
            raise NotImplementedError('%s cannot revert a volume to a snapshot' % type(self.driver).__name__)
        self.driver.revert_to_snapshot(self.context, self.volume(params['volume']),
                                       self.snapshot(params['snapshot']))
        return None

    def m_create_export(self, params):
        return _model_update(self.driver.create_export(
            self.context, self.volume(params['volume']), params.get('connector') or {}))

    def m_ensure_export(self, params):
        return _model_update(self.driver.ensure_export(self.context, self.volume(params['volume'])))

    def m_update_provider_info(self, params):
        # As init_host's _sync_provider_info: all of the backend's volumes and snapshots in one call; Kiln stores provider_id.
        volumes = self.objects.VolumeList(objects=[self.volume(v) for v in params.get('volumes') or []])
        snapshots = self.objects.SnapshotList(objects=[self.snapshot(s) for s in params.get('snapshots') or []])
        updates, snapshot_updates = self.driver.update_provider_info(volumes, snapshots)
        return {'volumes': _provider_ids(updates), 'snapshots': _provider_ids(snapshot_updates)}

    def m_remove_export(self, params):
        self.driver.remove_export(self.context, self.volume(params['volume']))
        return None

    def m_initialize_connection(self, params):
        return self.driver.initialize_connection(self.volume(params['volume']), params.get('connector') or {})

    def m_terminate_connection(self, params):
        self.driver.terminate_connection(self.volume(params['volume']), params.get('connector') or {})
        return None


def _write_section(conf, name, values):
    conf.write('[%s]\n' % name)
    for key, value in sorted(values.items()):
        # oslo.config reads INI: a newline would start a new option, so continuation lines keep it one value.
        conf.write('%s = %s\n' % (key, str(value).replace('\n', '\n  ')))


def _defaults(defaults, backend, host, state_path):
    """[DEFAULT] of the throwaway cinder.conf: the operator's, then what this host decides itself.

    Only this backend is enabled (the other sections are other hosts'); host is Kiln's node name; state_path is Kiln's
    data directory, so a driver's $state_path defaults (NFS mount points, tgt's volumes_dir) land where Kiln's data is.
    """
    values = dict(defaults)
    values['enabled_backends'] = backend
    values['host'] = host.split('@')[0]
    values['state_path'] = state_path
    return values


def _setup_like_cinder_volume(conf):
    """What cinder-volume does with the parsed configuration before it initializes a backend's driver."""
    import shlex
    import os_brick
    from oslo_privsep import priv_context
    from cinder import utils
    # Privileged helpers start through cinder-rootwrap with [DEFAULT] rootwrap_config, as under cinder-volume.
    priv_context.init(root_helper=shlex.split(utils.get_root_helper()))
    # os-brick takes its lock_path from [oslo_concurrency] lock_path (or [DEFAULT] lock_path).
    os_brick.setup(conf)
    # cinder-volume's Service.start, before init_host: the Tooz coordinator behind the drivers' coordination.synchronized
    # locks, from [coordination] backend_url (default file://$state_path, so Kiln's data directory).
    from cinder import coordination
    coordination.COORDINATOR.start()


def _deprecated_in_default(conf, key):
    """Whether [DEFAULT] key is the old name of a registered option (lock_path, now [oslo_concurrency] lock_path)."""
    try:
        groups = [None] + list(conf._groups.values())
        for group in groups:
            for info in (conf._opts if group is None else group._opts).values():
                opt = info['opt']
                for old in getattr(opt, 'deprecated_opts', None) or []:
                    if (old.group or 'DEFAULT') == 'DEFAULT' and (old.name or opt.name).replace('-', '_') == key:
                        return True
    except AttributeError:  # oslo.config's internals moved: report nothing rather than something false
        return True
    return False


def _overrides(driver, name):
    from cinder.volume import driver as base
    own = getattr(type(driver), name, None)
    return own is not None and own is not getattr(base.BaseVD, name, None)


def _model_update(update):
    """The provider_* fields of a driver's model update; Kiln persists them as Cinder does."""
    if not update:
        return {}
    return {k: v for k, v in dict(update).items() if v is None or isinstance(v, (str, int, float, bool))}


def _provider_ids(updates):
    """The {id, provider_id} pairs of update_provider_info's list; its other keys (Pure's metadata) Cinder does not save."""
    return [{'id': str(u['id']), 'provider_id': u['provider_id']} for u in updates or []
            if isinstance(u, dict) and u.get('id') and isinstance(u.get('provider_id'), (str, int))]


def _serve_one(host, request):
    rid = request.get('id')
    try:
        result = host.call(request.get('method'), request.get('params') or {})
        _send({'id': rid, 'result': result})
    except BaseException as exc:  # noqa: B902 - every failure goes back to Kiln, SystemExit included
        LOG.debug('%s failed:\n%s', request.get('method'), traceback.format_exc())
        _send({'id': rid, 'error': error_of(exc)})


def serve(reader):
    """Answers requests read from reader until its end; then exits (Kiln let go of this driver, or died)."""
    host = Host()
    for line in reader:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
        except ValueError as exc:
            _send({'id': None, 'error': {'kind': 'recoverable', 'type': 'ValueError', 'message': 'bad request line: %s' % exc}})
            continue
        if request.get('method') == 'load':
            # Load runs on the main thread: imports and oslo.config are not to be raced.
            _serve_one(host, request)
        else:
            threading.Thread(target=_serve_one, args=(host, request), daemon=True).start()
    os._exit(0)


# -- zygote -----------------------------------------------------------------------------------------------------------

def preimport():
    """What every driver host imports before its driver: the seconds of CPU a fork saves each attempt."""
    from oslo_config import cfg  # noqa: F401
    from oslo_utils import importutils  # noqa: F401
    from cinder import objects
    objects.register_all()
    from cinder import context  # noqa: F401
    from cinder import exception  # noqa: F401
    from cinder.volume import configuration  # noqa: F401
    from cinder.volume import driver  # noqa: F401
    from cinder.volume import manager  # noqa: F401


class Zygote(object):
    """A parent with Cinder imported that forks one driver host per request (docs/drivers/cinder-protocol.md).

    Kiln talks to it on stdin/stdout (events: ready, failed, exit) and asks for a host by opening two connections
    to its Unix socket with the same token: "protocol" becomes the host's request channel, "log" its stderr (and
    stdout). Only this process is the hosts' parent, so it reaps them and reports each one's exit status; Kiln
    still kills a host by its PID. The zygote itself never runs driver code: a host that crashes or hangs is
    only that host. EOF on stdin (Kiln gone) ends the zygote; its hosts end at the EOF of their own channel.
    """

    def __init__(self, path):
        self.path = path
        self.pending = {}  # token -> {stream: socket}
        self.children = set()

    def run(self):
        import selectors
        import signal
        import socket
        started, cpu = time.time(), time.process_time()
        try:
            preimport()
        except BaseException as exc:  # noqa: B902 - Kiln classifies it (an ImportError is a dependency error)
            _send({'event': 'failed', 'error': error_of(exc)})
            return
        # Everything imported so far is permanent: a collection never walks it again, in the zygote or a host. Besides
        # sparing copy-on-write pages, this is what makes a host cheap for drivers that import cinder.tests (Cinder's
        # fake drivers): that package runs eventlet.monkey_patch(), which does a full collection for every RLock it
        # finds, 5-7 s of CPU over Cinder's heap (0.2 s with it frozen; measured, docs/benchmarks.md). The RLocks
        # created before the fork stay native locks then (cinder-volume monkey-patches before importing anything).
        import gc
        gc.freeze()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.path)
        self.listener.listen(64)
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_w, False)
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        _send({'event': 'ready', 'pid': os.getpid(), 'import_seconds': round(time.time() - started, 3),
               'import_cpu_seconds': round(time.process_time() - cpu, 3)})
        selector = selectors.DefaultSelector()
        selector.register(self.listener, selectors.EVENT_READ, 'accept')
        selector.register(sys.stdin, selectors.EVENT_READ, 'control')
        selector.register(self.wake_r, selectors.EVENT_READ, 'child')
        while True:
            for key, _ in selector.select():
                if key.data == 'accept':
                    self.accept()
                elif key.data == 'control':
                    if not sys.stdin.readline():
                        os._exit(0)
                else:
                    os.read(self.wake_r, 4096)
            self.reap()

    def accept(self):
        conn, _ = self.listener.accept()
        try:
            # Only Kiln can connect (the socket's directory is Kiln's, mode 0700) and it sends its line at once.
            # Byte by byte to the newline: nothing after it may be consumed here, it belongs to the host.
            conn.settimeout(5)
            line = b''
            while not line.endswith(b'\n') and len(line) < 4096:
                chunk = conn.recv(1)
                if not chunk:
                    break
                line += chunk
            conn.settimeout(None)
            hello = json.loads(line.decode('utf-8'))
            token, stream = str(hello['fork']), hello['stream']
        except (OSError, ValueError, KeyError, TypeError):
            conn.close()
            return
        streams = self.pending.setdefault(token, {})
        streams[stream] = conn
        if 'protocol' in streams and 'log' in streams:
            del self.pending[token]
            self.fork(streams['protocol'], streams['log'])

    def fork(self, protocol, log):
        try:
            pid = os.fork()
        except OSError as exc:
            _write_line(protocol, {'error': error_of(exc)})
            protocol.close()
            log.close()
            return
        if pid == 0:
            self.become_host(protocol, log)
        self.children.add(pid)
        protocol.close()
        log.close()

    def become_host(self, protocol, log):
        import signal
        global _protocol_out
        try:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            self.listener.close()
            os.close(self.wake_r)
            os.close(self.wake_w)
            for streams in self.pending.values():
                for conn in streams.values():
                    conn.close()
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            os.close(devnull)
            # The driver's prints and logging, and anything a C library writes, go to the log stream.
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            log.close()
            _protocol_out = protocol.makefile('w', encoding='utf-8')
            _configure_logging('INFO')
            _send({'hello': {'pid': os.getpid()}})
            serve(protocol.makefile('r', encoding='utf-8'))
        finally:
            os._exit(70)

    def reap(self):
        for pid in list(self.children):
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                self.children.discard(pid)
                continue
            if done:
                self.children.discard(pid)
                code = os.waitstatus_to_exitcode(status)
                _send({'event': 'exit', 'pid': pid, 'code': code})


def _write_line(conn, message):
    try:
        conn.sendall((json.dumps(message, default=_json_default) + '\n').encode('utf-8'))
    except OSError:
        pass


def main():
    _configure_logging('INFO')
    if len(sys.argv) == 3 and sys.argv[1] == '--zygote':
        Zygote(sys.argv[2]).run()
        return
    serve(sys.stdin)


if __name__ == '__main__':
    main()
