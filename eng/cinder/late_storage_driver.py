"""A Cinder volume driver whose storage becomes reachable only some time after start-up.

The driver of eng/cinder/side-by-side.sh (docs/drivers/cinder.md, "Side by side with cinder-volume"): the same
class runs under Debian's cinder-volume and under `kiln serve`. It subclasses Cinder's VolumeDriver and behaves
like a driver of an array that is still booting: do_setup raises VolumeBackendAPIException until the unix time
in <late_storage_dir>/ready_at has passed (written by the first attempt: its time plus <late_storage_dir>/ready_after
seconds). Every do_setup attempt is appended, with its time and process
id, to <late_storage_dir>/attempts.log; volumes are kept as empty files under <late_storage_dir>/volumes.

    [late]
    volume_driver = late_storage_driver.LateStorageDriver
    late_storage_dir = /tmp/side-by-side
"""

import os
import time

from oslo_config import cfg
from oslo_log import log as logging

from cinder import exception
from cinder.volume import driver

LOG = logging.getLogger(__name__)

late_storage_opts = [
    cfg.StrOpt('late_storage_dir', required=True,
               help='Directory holding ready_at (unix time the storage becomes reachable), attempts.log '
                    'and volumes/.'),
]

CONF = cfg.CONF
CONF.register_opts(late_storage_opts, group='backend_defaults')


class LateStorageDriver(driver.VolumeDriver):
    """A VolumeDriver whose storage is unreachable until <late_storage_dir>/ready_at."""

    VERSION = '1.0.0'

    def __init__(self, *args, **kwargs):
        super(LateStorageDriver, self).__init__(*args, **kwargs)
        self.configuration.append_config_values(late_storage_opts)
        self.backend_name = self.configuration.safe_get('volume_backend_name') or 'late'

    def _path(self, *parts):
        return os.path.join(self.configuration.late_storage_dir, *parts)

    def _record(self, what):
        with open(self._path('attempts.log'), 'a') as log:
            log.write('%.3f %d %s\n' % (time.time(), os.getpid(), what))

    def do_setup(self, context):
        # The storage's clock starts at the first attempt (the first time a driver reaches for it), so a slow start of
        # the service (imports on a loaded machine) does not eat into the delay: <late_storage_dir>/ready_after holds
        # the delay in seconds, and the first attempt writes ready_at. A test may write ready_at itself.
        if not os.path.exists(self._path('ready_at')):
            with open(self._path('ready_after')) as f:
                delay = float(f.read().strip())
            with open(self._path('ready_at'), 'w') as f:
                f.write('%.3f\n' % (time.time() + delay))
        with open(self._path('ready_at')) as f:
            ready_at = float(f.read().strip())
        if time.time() < ready_at:
            self._record('do_setup fail')
            raise exception.VolumeBackendAPIException(
                data='storage not reachable yet (ready in %.1f s)' % (ready_at - time.time()))
        self._record('do_setup ok')
        os.makedirs(self._path('volumes'), exist_ok=True)

    def check_for_setup_error(self):
        pass

    def _update_volume_stats(self):
        self._stats = {
            'volume_backend_name': self.backend_name,
            'vendor_name': 'Kiln side-by-side',
            'driver_version': self.VERSION,
            'storage_protocol': 'iSCSI',
            'total_capacity_gb': 100,
            'free_capacity_gb': 100 - len(os.listdir(self._path('volumes'))),
            'reserved_percentage': 0,
            'thin_provisioning_support': False,
        }

    def get_volume_stats(self, refresh=False):
        if refresh or not self._stats:
            self._update_volume_stats()
        return self._stats

    def create_volume(self, volume):
        self._record('create_volume %s' % volume.id)
        open(self._path('volumes', volume.name), 'w').close()
        return {'provider_location': 'late:%s' % volume.name}

    def delete_volume(self, volume):
        try:
            os.remove(self._path('volumes', volume.name))
        except FileNotFoundError:
            pass

    def create_export(self, context, volume, connector):
        pass

    def ensure_export(self, context, volume):
        pass

    def remove_export(self, context, volume):
        pass

    def initialize_connection(self, volume, connector):
        return {'driver_volume_type': 'iscsi',
                'data': {'target_iqn': 'iqn.2026-12.org.kiln:%s' % volume.name, 'target_portal': '127.0.0.1:3260',
                         'target_lun': 0, 'access_mode': 'rw'}}

    def terminate_connection(self, volume, connector, **kwargs):
        pass
