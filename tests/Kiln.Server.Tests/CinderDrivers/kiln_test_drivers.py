"""Test drivers for Kiln's upstream-driver host (tests/Kiln.Server.Tests/CinderDrivers).

Loaded the way an operator loads an out-of-tree driver: from PYTHONPATH, by its dotted class path. Each
driver records its calls, with its process id, in <kiln_test_dir>/<backend>.calls so tests can count
attempts and check which process served them.
"""

import configparser
import json
import os
import time

from oslo_config import cfg

from cinder import coordination
from cinder import exception
from cinder.tests import fake_driver

kiln_test_opts = [
    cfg.StrOpt('kiln_test_setup', default='ok',
               choices=['ok', 'config', 'backend', 'hang', 'exit'],
               help='How do_setup behaves: ok; config raises InvalidConfigurationValue; '
                    'backend raises VolumeBackendAPIException until <backend>.ready exists; '
                    'hang never returns; exit ends the process with os._exit(3).'),
    cfg.StrOpt('kiln_test_dir', help='Where the call log and the ready file live.'),
    cfg.IntOpt('kiln_test_count', default=0, help='An integer option, to test values oslo.config refuses.'),
    cfg.StrOpt('kiln_test_shared', default='cinder-default',
               help='An option to set in [backend_defaults], in the section, or nowhere (ConfigReportingDriver).'),
]


class ScriptedDriver(fake_driver.FakeLoggingVolumeDriver):
    """Cinder's fake driver (a VolumeDriver subclass) with a scripted do_setup, a working extend and provider_location."""

    def __init__(self, *args, **kwargs):
        super(ScriptedDriver, self).__init__(*args, **kwargs)
        self.configuration.append_config_values(kiln_test_opts)
        self.backend_name = self.configuration.safe_get('volume_backend_name') or 'fake'

    def _record(self, what):
        directory = self.configuration.kiln_test_dir
        if directory:
            with open(os.path.join(directory, '%s.calls' % self.configuration.config_group), 'a') as log:
                log.write('%d %s\n' % (os.getpid(), what))

    def do_setup(self, context):
        self._record('do_setup')
        mode = self.configuration.kiln_test_setup
        if mode == 'config':
            raise exception.InvalidConfigurationValue(option='kiln_test_setup', value=mode)
        if mode == 'backend':
            ready = os.path.join(self.configuration.kiln_test_dir, '%s.ready' % self.configuration.config_group)
            if not os.path.exists(ready):
                raise exception.VolumeBackendAPIException(data='storage not reachable yet')
        if mode == 'hang':
            while True:
                time.sleep(3600)
        if mode == 'exit':
            os._exit(3)

    def create_volume(self, volume):
        super(ScriptedDriver, self).create_volume(volume)
        self._record('create_volume %s' % volume.name)
        return {'provider_location': 'kiln-test:%s' % volume.id}

    def extend_volume(self, volume, new_size):
        # Cinder's FakeLoggingVolumeDriver inherits LVM's extend, which its fake volume group cannot do.
        self._record('extend_volume %s %d' % (volume.id, new_size))


def _provider(obj):
    return {'id': obj.id, 'provider_location': obj.provider_location, 'provider_auth': obj.provider_auth,
            'provider_id': obj.provider_id}


class ProviderFieldsDriver(ScriptedDriver):
    """Returns provider_auth and provider_id as CHAP-exporting drivers do (LVM's create_export, arrays' create_volume)
    and records the provider_* fields of every volume and snapshot it is handed, one JSON object per line, in
    <kiln_test_dir>/<backend>.handed: what Kiln stored is what comes back."""

    def _handed(self, call, **objs):
        entry = {'pid': os.getpid(), 'call': call}
        for key, obj in objs.items():
            entry[key] = _provider(obj)
            if key == 'snapshot':
                entry['snapshot_volume'] = _provider(obj.volume)
        with open(os.path.join(self.configuration.kiln_test_dir, '%s.handed' % self.configuration.config_group), 'a') as log:
            log.write(json.dumps(entry) + '\n')

    @staticmethod
    def _created(kind, oid):
        return {'provider_location': '%s-loc:%s' % (kind, oid), 'provider_id': '%s-pid:%s' % (kind, oid),
                'provider_auth': 'CHAP %s-%s %s-secret' % (kind, oid[:8], kind)}

    def create_volume(self, volume):
        self._handed('create_volume', volume=volume)
        return self._created('vol', volume.id)

    def create_volume_from_snapshot(self, volume, snapshot):
        self._handed('create_volume_from_snapshot', volume=volume, snapshot=snapshot)
        return self._created('vol', volume.id)

    def create_cloned_volume(self, volume, src_vref):
        self._handed('create_cloned_volume', volume=volume, src_vref=src_vref)
        return self._created('vol', volume.id)

    def create_export(self, context, volume, connector):
        self._handed('create_export', volume=volume)
        # A new export, new credentials: Cinder saves them with the volume before initialize_connection.
        return {'provider_location': 'export-loc:%s' % volume.id, 'provider_auth': 'CHAP export-%s export-secret' % volume.id[:8]}

    def initialize_connection(self, volume, connector):
        self._handed('initialize_connection', volume=volume)
        return super(ProviderFieldsDriver, self).initialize_connection(volume, connector)

    def terminate_connection(self, volume, connector, **kwargs):
        self._handed('terminate_connection', volume=volume)

    def remove_export(self, context, volume):
        self._handed('remove_export', volume=volume)

    def extend_volume(self, volume, new_size):
        self._handed('extend_volume', volume=volume)

    def delete_volume(self, volume):
        self._handed('delete_volume', volume=volume)

    def create_snapshot(self, snapshot):
        self._handed('create_snapshot', snapshot=snapshot)
        return self._created('snap', snapshot.id)

    def delete_snapshot(self, snapshot):
        self._handed('delete_snapshot', snapshot=snapshot)

    def revert_to_snapshot(self, context, volume, snapshot):
        self._handed('revert_to_snapshot', volume=volume, snapshot=snapshot)


class ResyncDriver(ProviderFieldsDriver):
    """What cinder-volume's init_host calls after do_setup, recorded in <kiln_test_dir>/<backend>.handed as above:
    update_provider_info returns a provider_id for each volume that has none (as Pure's does) and for every snapshot
    (as SolidFire's does; Cinder keeps a snapshot's existing one); ensure_export returns a new provider_location and
    provider_auth, and raises for the volume ids listed in <kiln_test_dir>/<backend>.broken."""

    def update_provider_info(self, volumes, snapshots):
        entry = {'pid': os.getpid(), 'call': 'update_provider_info',
                 'volumes': [_provider(v) for v in volumes], 'snapshots': [_provider(s) for s in snapshots]}
        with open(os.path.join(self.configuration.kiln_test_dir, '%s.handed' % self.configuration.config_group), 'a') as log:
            log.write(json.dumps(entry) + '\n')
        return ([{'id': v.id, 'provider_id': 'upi:%s' % v.id} for v in volumes if not v.provider_id],
                [{'id': s.id, 'provider_id': 'upi:%s' % s.id} for s in snapshots])

    def ensure_export(self, context, volume):
        self._handed('ensure_export', volume=volume)
        with open(os.path.join(self.configuration.kiln_test_dir, '%s.handed' % self.configuration.config_group), 'a') as log:
            log.write(json.dumps({'pid': os.getpid(), 'call': 'ensure_export_status', 'volume': {
                'id': volume.id, 'status': volume.status, 'attach_status': volume.attach_status}}) + '\n')
        broken = os.path.join(self.configuration.kiln_test_dir, '%s.broken' % self.configuration.config_group)
        if os.path.exists(broken) and volume.id in open(broken).read().split():
            raise exception.VolumeBackendAPIException(data='target for %s cannot be recreated' % volume.name)
        return {'provider_location': 'ensured-loc:%s' % volume.id,
                'provider_auth': 'CHAP ensured-%s ensured-secret' % volume.id[:8]}


class UnsupportedDriver(ScriptedDriver):
    """A driver that refuses to run unless enable_unsupported_driver = True."""

    SUPPORTED = False


class ConfigReportingDriver(ScriptedDriver):
    """Appends what its configuration shows to <kiln_test_dir>/<backend>.seen, one JSON line per do_setup."""

    def do_setup(self, context):
        conf = cfg.CONF
        # The [DEFAULT] keys of the file the host wrote, as oslo.config parsed it: which options Kiln sent.
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(conf.default_config_files)
        seen = {
            'pid': os.getpid(),
            'kiln_test_shared': self.configuration.kiln_test_shared,
            'my_ip': conf.my_ip,
            'state_path': conf.state_path,
            'host': conf.host,
            'lock_path': conf.oslo_concurrency.lock_path,
            'coordination_started': coordination.COORDINATOR.coordinator is not None,
            'coordination_url': conf.coordination.backend_url,
            'default_keys': sorted(parser.defaults().keys()),
            'sections': sorted(parser.sections()),
        }
        path = os.path.join(self.configuration.kiln_test_dir, '%s.seen' % self.configuration.config_group)
        with open(path, 'a') as out:
            out.write(json.dumps(seen) + '\n')
        super(ConfigReportingDriver, self).do_setup(context)
