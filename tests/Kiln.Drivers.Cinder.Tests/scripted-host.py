"""A stand-in for cinder-driver-host.py: the same framing, with scripted behaviour per method.

hang: never answers; exit: os._exit(7) after logging a line; error_<kind>: answers an error of that kind;
anything else: answers {"pid": <pid>}.
"""
import json
import os
import sys
import threading
import time

lock = threading.Lock()


def serve(line):
    request = json.loads(line)
    method = request['method']
    if method == 'hang':
        time.sleep(3600)
    if method == 'exit':
        sys.stderr.write('ERROR kiln.test about to exit\n')
        sys.stderr.flush()
        os._exit(7)
    if method.startswith('error_'):
        response = {'id': request['id'], 'error': {'kind': method[len('error_'):], 'type': 'test.Error', 'message': 'scripted'}}
    else:
        response = {'id': request['id'], 'result': {'pid': os.getpid()}}
    with lock:
        sys.stdout.write(json.dumps(response) + '\n')
        sys.stdout.flush()


for line in sys.stdin:
    threading.Thread(target=serve, args=(line,), daemon=True).start()
os._exit(0)
