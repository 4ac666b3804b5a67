"""Turns a Tempest run's subunit stream into per-test results and docs/conformance.md.

Run by eng/conformance.sh with Debian's /usr/bin/python3 (python3-subunit and python3-testtools):

    report.py --list TESTS.txt --subunit RUN.subunit --regex R --command CMD [--notes FILE]
              [--markdown docs/conformance.md] [--tsv results.tsv]

TESTS.txt is `tempest run --list-tests` of the selected tests: those are what is counted, each once,
whatever the stream says about them. Results Tempest records for a whole class are spread over the
class's tests: a setUpClass that skipped (a feature disabled in tempest.conf) skips them, and one
that failed fails them with its reason. A listed test with no result at all counts as failed
("no result"), so that failed + passed + skipped is always the number of selected tests.
Prints one line: `conformance: N passed, N failed, N skipped`.
"""

import argparse
import collections
import datetime
import re
import sys

import subunit
import testtools

# What a class-level result is called in the stream: "setUpClass (tempest.api.volume.x.Class)".
CLASS_LEVEL = re.compile(r"^(setUpClass|tearDownClass) \((?P<cls>[^)]+)\)$")
UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.I)


def read_stream(path):
    """Every test id's final status and details (traceback or skip reason) from a subunit v2 file."""
    results = {}

    def on_test(test):
        results[test["id"]] = test

    with open(path, "rb") as stream:
        case = subunit.ByteStreamToStreamResult(stream, non_subunit_name="stdout")
        result = testtools.StreamToDict(on_test)
        result.startTestRun()
        try:
            case.run(result)
        finally:
            result.stopTestRun()
    return results


def detail_text(test, *names):
    for name in names:
        content = test["details"].get(name)
        if content is not None:
            try:
                return content.as_text()
            except Exception:  # a binary attachment: not a reason
                continue
    return ""


def reason_of_failure(traceback):
    """The exception line of a traceback, plus the first line of Tempest's "Details:" when it has one
    (Tempest puts what went wrong there: the status and body, or the schema error)."""
    lines = traceback.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (most recent call last)")]
    rest = lines[starts[-1] + 1:] if starts else lines
    # Frames are indented; the exception is the first line at column 0 after the last traceback header.
    body = [line for line in rest if line.strip()]
    exception_at = next((i for i, line in enumerate(body) if not line.startswith(" ")), None)
    if exception_at is None:
        return (body[-1].strip() if body else traceback.strip().splitlines()[-1:] or ["(no traceback)"])[0]
    message = body[exception_at].strip()
    details = next((line for line in body[exception_at + 1:] if line.startswith("Details:")), None)
    if details:
        message += " " + details.strip()
    return message


def cell(text, limit=400):
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("|", "\\|")


def schema_section(path):
    """Markdown: each distinct response-schema violation of a --lenient-schemas run, with its schema
    (a file under tempest/lib/api_schema/response/), the field, and how many tests met it."""
    import json

    violations = collections.defaultdict(set)
    examples = {}
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except FileNotFoundError:
        lines = []
    for line in lines:
        record = json.loads(line)
        test = (record.get("test") or "?").split("[", 1)[0]
        for error in record["errors"]:
            field = re.sub(r"/\d+(?=/|$)", "/*", error["path"]) or "(body)"
            message = re.sub(r"\b\d+\b", "N", UUID.sub("ID", error["message"]))
            key = (record["schema"], field, error["validator"], message)
            violations[key].add(test)
            examples.setdefault(key, record.get("url", ""))
    out = ["", "## Response-schema violations", ""]
    if not violations:
        out.append("None recorded.")
        return out
    out.append("Every violation Tempest's response schemas found (this run let them through instead of")
    out.append("failing on the first). Schema: the file under `tempest/lib/api_schema/response/` and its name.")
    out.append("")
    out.append("| tests | schema | field | check | message | e.g. request |")
    out.append("|---:|---|---|---|---|---|")
    for key, tests in sorted(violations.items(), key=lambda kv: (kv[0][0], -len(kv[1]), kv[0][1])):
        schema, field, validator, message = key
        out.append(f"| {len(tests)} | `{schema}` | `{field}` | {validator} | {cell(message, 200)} | {cell(examples[key], 120)} |")
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--list", required=True)
    parser.add_argument("--subunit", required=True)
    parser.add_argument("--regex", required=True)
    parser.add_argument("--command", required=True)
    parser.add_argument("--notes", help="a file of markdown lines about the setup, put under the summary")
    parser.add_argument("--markdown")
    parser.add_argument("--tsv")
    parser.add_argument("--schema-log", help="the JSON lines of a --lenient-schemas run, summarized in the markdown")
    parser.add_argument("--title", default="Tempest conformance")
    parser.add_argument("--date", help="when the tests started (default: now)")
    args = parser.parse_args()

    pattern = re.compile(args.regex)
    with open(args.list, encoding="utf-8") as f:
        # --list-tests prints other lines too (stestr's notes); a test id matches the regex.
        selected = list(dict.fromkeys(line.strip() for line in f if pattern.search(line.strip())))

    stream = read_stream(args.subunit)
    class_results = {}
    teardown_failures = []
    for test_id, test in stream.items():
        match = CLASS_LEVEL.match(test_id)
        if not match:
            continue
        if match.group(1) == "setUpClass":
            class_results[match.group("cls")] = test
        elif test["status"] in ("fail", "uxsuccess"):
            teardown_failures.append((match.group("cls"), reason_of_failure(detail_text(test, "traceback"))))

    rows = []  # (test id, result, reason)
    for test_id in sorted(selected):
        test = stream.get(test_id)
        reason = ""
        if test is None:
            cls = test_id.split("[", 1)[0].rsplit(".", 1)[0]
            test = class_results.get(cls)
            via = "setUpClass: "
        else:
            via = ""
        if test is None:
            result, reason = "failed", "no result: the test did not run (see the run's log)"
        elif test["status"] in ("success", "xfail"):
            result = "passed"
        elif test["status"] == "skip":
            result = "skipped"
            reason = via + detail_text(test, "reason").strip()
        else:  # fail, uxsuccess, and anything unexpected
            result = "failed"
            reason = via + reason_of_failure(detail_text(test, "traceback") or test["status"])
        rows.append((test_id, result, reason))

    counts = collections.Counter(result for _, result, _ in rows)
    summary = f"conformance: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped"

    if args.tsv:
        with open(args.tsv, "w", encoding="utf-8") as f:
            f.write("test\tresult\treason\n")
            for test_id, result, reason in rows:
                f.write(f"{test_id}\t{result}\t{' '.join(reason.split())}\n")

    if args.markdown:
        notes = open(args.notes, encoding="utf-8").read().strip() if args.notes else ""
        # Failures grouped by their reason with ids and numbers taken out, the biggest groups first:
        # a first view of what to fix; each row names one test to start from.
        groups = collections.defaultdict(list)
        for test_id, result, reason in rows:
            if result == "failed":
                key = re.sub(r"\b\d+\b", "N", UUID.sub("ID", reason))
                groups[cell(key, 300)].append(test_id)
        out = []
        out.append(f"# {args.title}")
        out.append("")
        out.append("Kiln against Tempest's volume API tests and the cinder-tempest-plugin's API tests, with a")
        out.append("real Keystone on loopback (how Kiln authenticated: below), as measured by `eng/conformance.sh`,")
        out.append("which writes this file. Results of the run: `results/` in the directory it prints.")
        out.append("")
        out.append(f"- Command: `{args.command}`")
        date = args.date or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        out.append(f"- Date: {date}")
        out.append(f"- Selected tests: `tempest run --regex '{args.regex}'` lists {len(selected)}; each is counted once.")
        if notes:
            out.extend(notes.splitlines())
        out.append("")
        out.append("| passed | failed | skipped | selected |")
        out.append("|---:|---:|---:|---:|")
        out.append(f"| {counts['passed']} | {counts['failed']} | {counts['skipped']} | {len(selected)} |")
        out.append("")
        out.append("A test skipped or failed by its class's `setUpClass` has the reason prefixed `setUpClass:`.")
        out.append("A failure's reason is the exception line and the first line of Tempest's `Details:`.")
        if groups:
            out.append("")
            out.append("## Failures by reason")
            out.append("")
            out.append("Reasons with ids and numbers replaced by `ID` and `N`, most tests first.")
            out.append("")
            out.append("| tests | reason | e.g. |")
            out.append("|---:|---|---|")
            for key, ids in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
                out.append(f"| {len(ids)} | {key} | `{ids[0].split('[', 1)[0]}` |")
        if teardown_failures:
            out.append("")
            out.append("## Class clean-up failures")
            out.append("")
            out.append("tearDownClass failed after the class's tests ran (usually a resource that could not be deleted):")
            out.append("")
            for cls, reason in sorted(teardown_failures):
                out.append(f"- `{cls}`: {cell(reason)}")
        if args.schema_log:
            out.extend(schema_section(args.schema_log))
        out.append("")
        out.append("## Every selected test")
        out.append("")
        out.append("| test | result | reason |")
        out.append("|---|---|---|")
        for test_id, result, reason in rows:
            out.append(f"| `{test_id}` | {result} | {cell(reason)} |")
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")

    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
