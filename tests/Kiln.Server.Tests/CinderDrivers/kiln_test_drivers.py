"""Test drivers for Kiln's upstream-driver host (tests/Kiln.Server.Tests/CinderDrivers).

Loaded the way an operator loads an out-of-tree driver: from PYTHONPATH, by its dotted class path. Each
driver records its calls, with its process id, in <kiln_test_dir>/<backend>.calls so tests can count
attempts and check which process served them.
"""

import os
import time

from oslo_config import cfg

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


class UnsupportedDriver(ScriptedDriver):
    """A driver that refuses to run unless enable_unsupported_driver = True."""

    SUPPORTED = False
