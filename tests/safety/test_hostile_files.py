"""Hostile and odd files at every entry point that reads one: exit 2, one message naming the file (and the key or
line), no traceback, nothing written. Plus hostile ``--set`` values and arbitrary YAML (hypothesis)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from hostile_helpers import command, inputs, refused, tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_helpers import write

from common.safe_yaml import MAX_BYTES
from experiments.errors import InputError
from experiments.scenarios.load import load_scenario

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def _text(body: str):
    return lambda tmp: write(tmp / "hostile.yaml", body)


def _bytes(body: bytes):
    def make(tmp):
        p = tmp / "hostile.yaml"
        p.write_bytes(body)
        return p

    return make


def _fifo(tmp):
    p = tmp / "hostile.yaml"
    os.mkfifo(p)
    return p


def _folder(tmp):
    p = tmp / "hostile.yaml"
    p.mkdir()
    return p


CLASSES = {  # id: (maker, fragment every entry point's message must contain)
    "alias_bomb": (_text(BOMB), "aliases"),
    "recursive_alias": (_text("name: &a [*a]\n"), "aliases"),
    "deep_nesting": (_text("name: " + "[" * 20_000 + "]" * 20_000 + "\n"), "nesting deeper than"),
    "deep_mapping": (_text("name: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n"), "nesting deeper than"),
    "over_size_limit": (_text("name: big\n" + ("# padding\n" * (MAX_BYTES // 10 + 10))), "more than the 1,000,000"),
    "nul_byte": (_text("name: a\x00b\n"), "control character"),
    "escape_char": (_text("name: \x1b[31mred\n"), "control character"),
    "not_utf8": (_bytes("name: caf\xe9\n".encode("latin-1")), "not UTF-8"),
    "dev_zero": (lambda tmp: Path("/dev/zero"), "is a device"),
    "fifo": (_fifo, "FIFO"),
    "folder": (_folder, "is a directory"),
    "duplicate_key": (_text("name: a\nname: b\n"), "duplicated key 'name'"),
    "python_tag": (_text("name: !!python/object/apply:os.system ['echo hi']\n"), "YAML tag"),
    "huge_integer": (_text("name: x\nreplicates: " + "9" * 5000 + "\n"), "cannot be converted"),
    "syntax_error": (_text("name: [unclosed\n"), "YAML syntax error"),
}

ENTRY = {  # entry point: argv builder given the hostile file, the good inputs and an --out folder
    "run": lambda f, g, out: ["run", f, "--out", out, "--reps", "1", "--years", "2", "--population", "50"],
    "validate": lambda f, g, out: ["validate", f],
    "compare": lambda f, g, out: ["compare", g["scenario"], f, "--out", out, "--reps", "1", "--years", "2", "--population", "50"],
    "sensitivity": lambda f, g, out: ["sensitivity", f, "--out", out, "-N", "2", "--reps", "1"],
    "app_scenario": lambda f, g, out: ["app", "--scenario", f, "--port", "1"],
    "batch_experiment": lambda f, g, out: ["batch", f, "--out", out, "--backend", "sequential", "--quiet"],
    "calibrate_scenario": lambda f, g, out: ["calibrate", "--check", "--scenario", f, "--out", out, "--reps", "2"],
    "calibrate_targets": lambda f, g, out: ["calibrate", "--check", "--targets", f, "--scenario", g["scenario"], "--out", out],
    "calibrate_setup": lambda f, g, out: ["calibrate", "--setup", f, "--scenario", g["scenario"], "--out", out],
}


@pytest.fixture
def alarm():
    """Fail instead of hanging if a special file is ever opened for reading (a FIFO blocks forever)."""

    def boom(*_):
        raise TimeoutError("blocked reading a special file")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("case", sorted(CLASSES))
@pytest.mark.parametrize("entry", sorted(ENTRY))
def test_hostile_file_is_refused_with_one_message(tmp_path, entry, case, alarm):
    good = inputs(tmp_path)
    maker, fragment = CLASSES[case]
    hostile = maker(tmp_path)
    out = tmp_path / "out"
    before = tree(tmp_path) if case != "fifo" else None
    message = refused([str(a) for a in ENTRY[entry](hostile, good, out)])
    assert fragment in message, message
    assert str(hostile) in message, message
    assert not out.exists() and not list(tmp_path.glob(".out*")), "nothing written under or beside --out"
    if before is not None:
        assert tree(tmp_path) == before


BOOLS = {  # entry point: (file text with a YAML boolean where a number belongs, fragments of the message)
    "scenario": ("name: b\ncontracts:\n  renewal_prob: on\n", ["hostile.yaml:3", "contracts.renewal_prob", "True"]),
    "experiment": ("name: b\noverrides: {contracts.renewal_prob: yes}\n", ["hostile.yaml", "overrides", "contracts.renewal_prob", "True"]),
    "targets": (
        "targets:\n  t:\n    value: on\n    n: 10\n    population: x\n    year: 2024\n    source: s\n    measure: share_fixed_term\n",
        ["hostile.yaml", "targets.t.value", "True"],
    ),
    "setup": ("free:\n  contracts.renewal_prob: {why: w}\nsettings:\n  reps: yes\n", ["hostile.yaml", "settings.reps", "True"]),
}


@pytest.mark.parametrize("entry", sorted(BOOLS))
def test_yaml_boolean_where_a_number_belongs(tmp_path, entry):
    good = inputs(tmp_path)
    text, fragments = BOOLS[entry]
    f = write(tmp_path / "hostile.yaml", text)
    out = tmp_path / "out"
    argv = {
        "scenario": ["run", f, "--out", out],
        "experiment": ["batch", f, "--out", out, "--backend", "sequential"],
        "targets": ["calibrate", "--check", "--targets", f, "--scenario", good["scenario"], "--out", out],
        "setup": ["calibrate", "--setup", f, "--scenario", good["scenario"], "--out", out],
    }[entry]
    message = refused([str(a) for a in argv])
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert not out.exists()


SET_VALUES = {  # --set value: fragment
    "[1, 2": "YAML syntax error",
    "!!python/object/apply:os.system [ls]": "YAML tag",
    "*alias": "aliases",
    "on": "must be a number",
    "0.5\x00": "control character",
    "9" * 5000: "cannot be converted",
}


@pytest.mark.parametrize("value", sorted(SET_VALUES), ids=lambda v: v[:12])
def test_hostile_set_values(tmp_path, value):
    good = inputs(tmp_path)
    out = tmp_path / "out"
    message = refused(command("batch", good, out, "--set", f"contracts.renewal_prob={value}"))
    assert SET_VALUES[value] in message and "contracts.renewal_prob" in message, message
    assert not out.exists()


def test_set_given_twice(tmp_path):
    good = inputs(tmp_path)
    message = refused(command("batch", good, tmp_path / "o", "--set", "run.population=50", "--set", "run.population=60"))
    assert "run.population" in message and "twice" in message


def test_extends_to_a_file_outside_the_tree_does_not_print_it(tmp_path):
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("password: hunter2\n")
    (tmp_path / "s").mkdir()
    child = write(tmp_path / "s" / "child.yaml", "name: c\nextends: ../elsewhere/secret.txt\n")
    message = refused(["validate", str(child)])
    assert "child.yaml:2" in message and "extends" in message and "hunter2" not in message and "password" not in message
    yaml_secret = write(tmp_path / "elsewhere" / "notes.yaml", "password: hunter2\n")
    write(child, f"name: c\nextends: {yaml_secret}\n")
    message = refused(["validate", str(child)])
    assert "child.yaml:2" in message and "key 'extends'" in message and "hunter2" not in message, message
    write(child, "name: c\nextends: /dev/zero.yaml\n")
    assert "child.yaml:2" in refused(["validate", str(child)])


NAMES = {
    "dotdot": ("../../escape", "path separator"),
    "absolute": ("/tmp/x", "path separator"),
    "dot": ("..", "starts with '.'"),
    "nul": ("a\\0b", "control character"),
    "newline": ("a\\nb", "control character"),
    "long": ("x" * 300, "300 characters"),
    "empty": ("' '", "is empty"),
}


@pytest.mark.parametrize("case", sorted(NAMES))
def test_names_used_as_folder_names(tmp_path, case):
    value, fragment = NAMES[case]
    quoted = f'"{value}"' if "\\" in value else (value if value.startswith("'") else f"'{value}'")
    f = write(tmp_path / "named.yaml", f"name: {quoted}\n")
    for argv in (["validate", f], ["run", f, "--reps", "1", "--years", "2", "--population", "50"]):
        message = refused([str(a) for a in argv])
        assert fragment in message and "named.yaml:1" in message and "key 'name'" in message, message
    exp = write(tmp_path / "exp.yaml", f"name: {quoted}\n")
    message = refused(["batch", str(exp), "--backend", "sequential"])
    assert fragment in message and "key 'name'" in message
    assert not (tmp_path / "results").exists() and not Path("results", "..", "escape").exists()


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20))
KEYS = st.sampled_from(["name", "run", "years", "population", "policies", "type", "shocks", "contracts", "extends", "sensitivity",
                        "bridge_funding", "renewal_prob", "factors", "year", "size"]) | st.text(max_size=8)  # fmt: skip
DOCS = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5), max_leaves=25)
PIECES = list("ab:-[]{}&*!#|>'\"\n ,.0123456789%@`?\t~\\") + ["name", "run", "policies", "type", "  ", "- ", ": ", "\n  "]
YAMLISH = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=DOCS)
def test_arbitrary_documents_never_give_a_traceback(tmp_path, doc):
    import yaml

    f = tmp_path / "any.yaml"
    f.write_text(yaml.safe_dump(doc), encoding="utf-8")
    try:
        load_scenario(f)
    except InputError as exc:
        assert str(f) in str(exc)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=YAMLISH)
def test_arbitrary_yaml_text_never_gives_a_traceback(tmp_path, text):
    f = tmp_path / "any.yaml"
    f.write_text(text, encoding="utf-8")
    try:
        load_scenario(f)
    except InputError as exc:
        assert str(f) in str(exc)
