"""Changes to Tempest's behaviour that eng/conformance.sh turns on by environment variable.

Python imports this module at start-up when this directory is on PYTHONPATH: the script sets it for
`tempest run` only, and Tempest's test workers inherit it. Without either variable below it does
nothing. Tempest's modules are patched as they are imported, so nothing is imported early.

KILN_CONFORMANCE_NOAUTH_SERVICE=volumev3 (set when Kiln refuses auth_strategy = keystone)
    Requests to that catalog service carry `X-Auth-Token: <user id>:<project id>` of the Keystone
    token Tempest got, instead of the token itself: what Cinder's noauth middleware (and Kiln's)
    takes to name the caller, so a Kiln without Keystone support sees the same users and projects
    as Keystone made. Requests to Keystone keep the real token. Every noauth caller is an
    administrator, so authorization is not measured then.

KILN_CONFORMANCE_SCHEMA_LOG=FILE (eng/conformance.sh --lenient-schemas)
    A response that breaks Tempest's response schema is let through, and every violation (not just
    the first) is appended to FILE as one JSON line with the test, the request, and the schema's
    file and name. Status codes are still checked. A test stops at the first violation, and one in
    a class's setUpClass fails the whole class: this shows what the tests would find next. The
    counts of such a run are not conformance.
"""

import importlib.abc
import importlib.util
import json
import os
import sys

# Debian's own sitecustomize (the apport hook), which this module shadows on sys.path.
try:
    import apport_python_hook
except ImportError:
    pass
else:
    apport_python_hook.install()


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Runs patch(module) right after each watched module is first executed."""

    def __init__(self, patches):
        self.patches = patches  # module name -> patch function

    def find_spec(self, name, path, target=None):
        patch = self.patches.pop(name, None)
        if patch is None:
            return None
        if not self.patches:
            sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_and_patch(module):
            exec_module(module)
            patch(module)

        spec.loader.exec_module = exec_and_patch
        return spec


def _noauth_tokens(auth, service):
    """X-Auth-Token: user:project on requests to `service`, for a Kiln in noauth mode."""
    original = auth.KeystoneAuthProvider._decorate_request

    def _decorate_request(self, filters, method, url, headers=None, body=None, auth_data=None):
        if auth_data is None:
            auth_data = self.get_auth()
        url, headers, body = original(self, filters, method, url, headers, body, auth_data)
        if (filters or {}).get("service") == service:
            token_body = auth_data[1]
            project = (token_body.get("project") or {}).get("id", "")
            headers["X-Auth-Token"] = f"{token_body['user']['id']}:{project}"
        return url, headers, body

    auth.KeystoneAuthProvider._decorate_request = _decorate_request


def _schema_names():
    """id(schema dict) -> 'volume/FILE.py:NAME' over Tempest's volume response schemas."""
    import importlib
    import pkgutil

    import tempest.lib.api_schema.response.volume as package

    names = {}
    prefix = package.__name__ + "."
    for info in pkgutil.walk_packages(package.__path__, prefix):
        if info.ispkg:
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception:
            continue
        relative = info.name[len(prefix):].replace(".", "/") + ".py"
        for attr, value in vars(module).items():
            if isinstance(value, dict) and "status_code" in value:
                names.setdefault(id(value), f"volume/{relative}:{attr}")
    return names


def _current_test():
    """The id of the test (or 'setUpClass (class)') whose code made the request, from the stack."""
    import inspect
    import unittest

    for frame_info in inspect.stack()[2:]:
        local = frame_info.frame.f_locals
        candidate = local.get("self")
        if isinstance(candidate, unittest.TestCase):
            return candidate.id()
        cls = local.get("cls")
        if isinstance(cls, type) and issubclass(cls, unittest.TestCase):
            return f"setUpClass ({cls.__module__}.{cls.__qualname__})"
    return None


def _lenient_schemas(rest_client, log_path):
    names = None

    def validate_response(cls, schema, resp, body):
        nonlocal names
        # As Tempest: only successful responses are checked, and their status code first.
        if resp.status not in rest_client.HTTP_SUCCESS + rest_client.HTTP_REDIRECTION:
            return
        cls.expected_success(schema["status_code"], resp.status)
        body_schema = schema.get("response_body")
        errors = []
        if body_schema:
            validator = rest_client.JSONSCHEMA_VALIDATOR(body_schema, format_checker=rest_client.FORMAT_CHECKER)
            for error in validator.iter_errors(body):
                errors.append({
                    "path": "/".join(str(p) for p in error.absolute_path),
                    "validator": error.validator,
                    "message": error.message,
                })
        elif body:
            errors.append({"path": "", "validator": "no body", "message": "HTTP response body should not exist"})
        if not errors:
            return
        if names is None:
            names = _schema_names()
        record = {
            "test": _current_test(),
            "schema": names.get(id(schema), "?"),
            "status": resp.status,
            "url": resp.get("content-location", ""),
            "errors": errors,
        }
        with open(log_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")

    rest_client.RestClient.validate_response = classmethod(validate_response)


def _install():
    patches = {}
    service = os.environ.get("KILN_CONFORMANCE_NOAUTH_SERVICE")
    if service:
        patches["tempest.lib.auth"] = lambda module: _noauth_tokens(module, service)
    log_path = os.environ.get("KILN_CONFORMANCE_SCHEMA_LOG")
    if log_path:
        patches["tempest.lib.common.rest_client"] = lambda module: _lenient_schemas(module, log_path)
    if patches:
        sys.meta_path.insert(0, _PatchOnImport(patches))


_install()
