"""Diagnostic for `eng/conformance.sh --lenient-schemas`: Tempest records response-schema violations
instead of failing on them.

Python imports this module at start-up when this directory is on PYTHONPATH (the script sets it for
`tempest run` only, and its test workers inherit it). A test that fails on a response schema stops at
the first violation, and one in a class's setUpClass fails every test of the class: that hides what
the tests would find next. Here Tempest still checks status codes, but a body that breaks its schema
is let through, and every violation (not just the first) is appended as one JSON line to the file
named by KILN_CONFORMANCE_SCHEMA_LOG, with the test, the request and the schema's file and name.
The counts of such a run are not conformance: they say what fails besides the schemas.
"""

import os

# Debian's own sitecustomize (the apport hook), which this module shadows on sys.path.
try:
    import apport_python_hook
except ImportError:
    pass
else:
    apport_python_hook.install()


def _install():
    log_path = os.environ.get("KILN_CONFORMANCE_SCHEMA_LOG")
    if not log_path:
        return
    import importlib.abc
    import sys

    class _Finder(importlib.abc.MetaPathFinder):
        """Patches tempest.lib.common.rest_client as soon as it is imported (tempest may never be)."""

        def find_spec(self, name, path, target=None):
            if name != "tempest.lib.common.rest_client":
                return None
            sys.meta_path.remove(self)
            import importlib.util

            spec = importlib.util.find_spec(name)
            loader = spec.loader
            original_exec = loader.exec_module

            def exec_module(module):
                original_exec(module)
                _patch(module, log_path)

            loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, _Finder())


def _schema_names():
    """id(schema dict) -> 'volume/FILE.py:NAME' over Tempest's volume response schemas."""
    import importlib
    import pkgutil

    import tempest.lib.api_schema.response.volume as package

    names = {}
    prefix = package.__name__ + "."
    for info in pkgutil.walk_packages(package.__path__, prefix):
        try:
            module = importlib.import_module(info.name)
        except Exception:
            continue
        if not hasattr(module, "__file__") or info.ispkg:
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


def _patch(rest_client, log_path):
    import json

    import jsonschema

    names = None

    def validate_response(cls, schema, resp, body):
        nonlocal names
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


_install()
