#!/usr/bin/python3
"""Asks oslo.policy itself what Cinder's policy decides, for Kiln's tests to compare against.

Loads every rule Cinder registers (plus Kiln's own, below) into an oslo.policy Enforcer, exactly as
cinder.policy does, and evaluates each rule for a fixed set of personas against one target, with
enforce_new_defaults False and True. Prints JSON (one decision per line, so diffs stay readable).

    /usr/bin/python3 eng/policy/oslo-decisions.py > tests/Kiln.Server.Tests/Policy/CinderZedDecisions.json
    /usr/bin/python3 eng/policy/oslo-decisions.py --policy-file overrides.yaml --enforce-new-defaults false

The committed CinderZedDecisions.json is this script's output on defaults alone; PolicyOsloComparisonTests
runs the script again when Debian's python3-cinder is installed and compares live.
"""
import argparse
import json
import warnings

import pbr.version
from oslo_config import cfg
from oslo_policy import opts as policy_opts
from oslo_policy import policy

from cinder import context
from cinder import policies

# Kiln's own rules; keep in step with src/Kiln.Server/Policy/KilnPolicyDefaults.cs.
KILN_RULES = [
    policy.RuleDefault('volume_extension:services:reinit', 'rule:admin_api'),
    policy.RuleDefault('volume_extension:services:lifecycle', 'rule:admin_api'),
]

# A rule nobody registers: falls back to the "default" rule, which Cinder does not define.
UNKNOWN_RULE = 'kiln:no-such-rule'

TARGET = {'project_id': 'project-a', 'user_id': 'owner-a'}

ALL_ROLES = ['admin', 'member', 'reader']
# Each persona's user and project live in Keystone's "default" domain (a system-scoped token has no project domain).
PERSONAS = [
    dict(name='admin', user_id='admin-a', project_id='project-a', roles=ALL_ROLES, is_admin=True),
    dict(name='admin-of-b', user_id='admin-b', project_id='project-b', roles=ALL_ROLES, is_admin=True),
    dict(name='system-admin', user_id='admin-s', project_id=None, roles=ALL_ROLES, is_admin=True,
         system_scope='all'),
    dict(name='member-a', user_id='member-a', project_id='project-a', roles=['member', 'reader'], is_admin=False),
    dict(name='member-a-capitalized', user_id='member-a', project_id='project-a', roles=['Member', 'READER'],
         is_admin=False),
    dict(name='member-b', user_id='member-b', project_id='project-b', roles=['member', 'reader'], is_admin=False),
    dict(name='reader-a', user_id='reader-a', project_id='project-a', roles=['reader'], is_admin=False),
    dict(name='no-roles-a', user_id='nobody-a', project_id='project-a', roles=[], is_admin=False),
]


for _persona in PERSONAS:
    _persona.setdefault('system_scope', None)
    _persona['user_domain_id'] = 'default'
    _persona['project_domain_id'] = 'default' if _persona['project_id'] else None


def credentials(persona):
    # The same RequestContext cinder.api builds from keystonemiddleware's headers.
    return context.RequestContext(
        user_id=persona['user_id'], project_id=persona['project_id'], roles=list(persona['roles']),
        is_admin=persona['is_admin'], system_scope=persona['system_scope'],
        user_domain_id=persona['user_domain_id'], project_domain_id=persona['project_domain_id'])


def enforcer(enforce_new_defaults, enforce_scope, policy_file):
    conf = cfg.ConfigOpts()
    conf([], project='kiln-oslo-decisions', default_config_files=[])
    policy_opts.set_defaults(conf, 'policy.yaml')
    conf.set_override('enforce_new_defaults', enforce_new_defaults, group='oslo_policy')
    conf.set_override('enforce_scope', enforce_scope, group='oslo_policy')
    # use_conf=True is what registers the defaults into the rules; a policy file that does not exist
    # leaves the defaults alone, as a missing policy.yaml does in Cinder.
    result = policy.Enforcer(conf, policy_file=policy_file or '/nonexistent/kiln/defaults-only.yaml',
                             use_conf=True, fallback_to_json_file=False)
    result.suppress_deprecation_warnings = True
    result.register_defaults(policies.list_rules())
    result.register_defaults(KILN_RULES)
    result.load_rules()
    return result


def decide(enf, rule, persona):
    try:
        return bool(enf.enforce(rule, dict(TARGET), credentials(persona), do_raise=False))
    except policy.InvalidScope:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--policy-file')
    parser.add_argument('--enforce-new-defaults', choices=['false', 'true', 'both'], default='both')
    parser.add_argument('--enforce-scope', choices=['false', 'true'], default='false')
    args = parser.parse_args()
    warnings.simplefilter('ignore')

    settings = {'false': [False], 'true': [True], 'both': [False, True]}[args.enforce_new_defaults]
    lines = []
    for new_defaults in settings:
        enf = enforcer(new_defaults, args.enforce_scope == 'true', args.policy_file)
        names = list(enf.registered_rules) + sorted(set(enf.rules) - set(enf.registered_rules)) + [UNKNOWN_RULE]
        for rule in names:
            allowed = [p['name'] for p in PERSONAS if decide(enf, rule, p)]
            lines.append(json.dumps({'enforce_new_defaults': new_defaults, 'rule': rule, 'allowed': allowed}))

    print('{')
    print('  "generator": "eng/policy/oslo-decisions.py",')
    print(f'  "cinder": "{pbr.version.VersionInfo("cinder").version_string()}",')
    print(f'  "oslo_policy": "{pbr.version.VersionInfo("oslo.policy").version_string()}",')
    print(f'  "target": {json.dumps(TARGET)},')
    print('  "personas": [')
    print(',\n'.join('    ' + json.dumps(p) for p in PERSONAS))
    print('  ],')
    print('  "decisions": [')
    print(',\n'.join('    ' + line for line in lines))
    print('  ]')
    print('}')


if __name__ == '__main__':
    main()
