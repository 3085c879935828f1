"""Output folders: every command refuses a folder it may not write (exit 2, one message, nothing written),
resumes its own, honours --force only for hsr-careers results, and refuses a folder another process holds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from hostile_helpers import COMMANDS, command, inputs, refused, tree
from scenario_helpers import ROOT, cli_inprocess

from experiments.out_folder import lock_path, take_lock


def _file(tmp):
    p = tmp / "target"
    p.write_text("a file, not a folder")
    return p


def _read_only(tmp):
    p = tmp / "target"
    p.mkdir()
    p.chmod(0o555)
    return p


def _foreign(tmp):
    p = tmp / "target"
    p.mkdir()
    (p / "thesis.tex").write_text("precious")
    (p / "data").mkdir()
    return p


def _other_kind(kind):
    def make(tmp):
        p = tmp / "target"
        (p / "runs").mkdir(parents=True)
        (p / "runs" / "part-000000.parquet").write_bytes(b"PAR1")
        (p / "manifest.json").write_text(json.dumps({"output": {"kind": kind, "settings": "0123456789abcdef"}}))
        return p

    return make


def _legacy_batch(tmp):  # a batch folder written before folders carried a kind marker
    p = tmp / "target"
    (p / "runs").mkdir(parents=True)
    (p / "design.parquet").write_bytes(b"PAR1")
    (p / "manifest.json").write_text(json.dumps({"experiment": "x", "fingerprint": "abc", "sessions": []}))
    return p


def _broken_link(tmp):
    p = tmp / "target"
    p.symlink_to(tmp / "nowhere")
    return p


FOLDERS = {  # id: (maker, fragment of the message)
    "existing_file": (_file, "is a file, not a folder"),
    "read_only_folder": (_read_only, "read-only folder"),
    "foreign_folder": (_foreign, "hsr-careers did not write"),
    "broken_symlink": (_broken_link, "broken symbolic link"),
}


@pytest.mark.parametrize("case", sorted(FOLDERS))
@pytest.mark.parametrize("cmd", COMMANDS)
def test_unusable_out_is_refused_and_nothing_written(tmp_path, cmd, case):
    files = inputs(tmp_path)
    maker, fragment = FOLDERS[case]
    target = maker(tmp_path)
    before = tree(tmp_path)
    try:
        message = refused(command(cmd, files, target))
        assert fragment in message and str(target) in message, message
        assert tree(tmp_path) == before, "a refused command must write nothing (no lock, no cache, no staging)"
        forced = refused(command(cmd, files, target, "--force"))  # --force never writes into these
        assert fragment in forced
        assert tree(tmp_path) == before
    finally:
        if target.is_dir() and not target.is_symlink():
            target.chmod(0o755)


@pytest.mark.parametrize("cmd", COMMANDS)
def test_results_of_another_kind_are_refused(tmp_path, cmd):
    files = inputs(tmp_path)
    kind = {"calibrate_check": "calibration_check", "calibrate": "calibration"}.get(cmd, cmd)
    other = "run" if kind != "run" else "batch"
    target = _other_kind(other)(tmp_path)
    before = tree(tmp_path)
    message = refused(command(cmd, files, target))
    assert "holds results of" in message and str(target) in message and "--force" in message, message
    assert tree(tmp_path) == before
    same_kind_other_settings = _other_kind(kind)(tmp_path / "b")
    before = tree(tmp_path)
    message = refused(command(cmd, files, same_kind_other_settings))
    assert "for other settings" in message and "--force" in message, message
    assert tree(tmp_path) == before


@pytest.mark.parametrize("cmd", ["run", "sensitivity"])
def test_legacy_batch_folder_is_recognised_and_refused(tmp_path, cmd):
    files = inputs(tmp_path)
    target = _legacy_batch(tmp_path)
    before = tree(tmp_path)
    message = refused(command(cmd, files, target))
    assert "hsr-careers batch" in message
    assert tree(tmp_path) == before


def test_out_dot_with_other_content_is_refused(tmp_path, monkeypatch):
    files = inputs(tmp_path)
    (tmp_path / "README.md").write_text("a project")
    monkeypatch.chdir(tmp_path)
    before = tree(tmp_path)
    for cmd in ("batch", "sensitivity"):
        message = refused(command(cmd, files, "."))
        assert "hsr-careers did not write" in message
    assert "is the current folder" in refused(command("run", files, "."))
    assert tree(tmp_path) == before
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    for cmd in ("run", "compare"):  # they replace --out when done: never the folder the user is in
        assert "is the current folder" in refused(command(cmd, files, "."))
    assert list(empty.iterdir()) == []


def test_run_on_a_batch_folder_is_refused_then_replaced_with_force(tmp_path):
    files = inputs(tmp_path)
    batch_out = tmp_path / "batch"
    assert cli_inprocess(*command("batch", files, batch_out)).returncode == 0
    assert (batch_out / "runs").is_dir()
    before = tree(tmp_path)
    message = refused(command("run", files, batch_out))
    assert "hsr-careers batch" in message
    assert tree(tmp_path) == before, "the batch folder must be left as it was"
    res = cli_inprocess(*command("run", files, batch_out, "--force"))
    assert res.returncode == 0, res.stderr
    assert not (batch_out / "runs").exists() and (batch_out / "summary.json").is_file()
    manifest = json.loads((batch_out / "manifest.json").read_text())
    assert manifest["output"]["kind"] == "run"
    assert not lock_path(batch_out).exists(), "the lock is released at the end"


def test_sensitivity_on_a_run_folder_is_refused(tmp_path):
    files = inputs(tmp_path)
    run_out = tmp_path / "run"
    assert cli_inprocess(*command("run", files, run_out)).returncode == 0
    before = tree(tmp_path)
    message = refused(command("sensitivity", files, run_out))
    assert "hsr-careers run" in message
    assert tree(tmp_path) == before


def test_same_command_same_settings_is_accepted_again(tmp_path):
    files = inputs(tmp_path)
    out = tmp_path / "run"
    assert cli_inprocess(*command("run", files, out)).returncode == 0
    first = json.loads((out / "summary.json").read_text())
    assert cli_inprocess(*command("run", files, out)).returncode == 0
    assert json.loads((out / "summary.json").read_text()) == first
    message = refused(command("run", files, out, "--seed", "99"))  # other settings: refused without --force
    assert "other settings" in message


@pytest.mark.parametrize("cmd", ["run", "batch", "sensitivity"])
def test_a_second_process_on_the_same_out_is_refused(tmp_path, cmd):
    files = inputs(tmp_path)
    out = tmp_path / "out"
    held = take_lock(out, "run")  # another holder (an open file description of its own)
    try:
        before = tree(tmp_path)
        message = refused(command(cmd, files, out))
        assert f"in use by process {os.getpid()}" in message
        assert tree(tmp_path) == before
    finally:
        held.release()
    assert not lock_path(out).exists()


def test_lock_held_by_another_process_and_stale_lock(tmp_path):
    files = inputs(tmp_path)
    out = tmp_path / "out"
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[1]); from experiments.out_folder import take_lock; "
        "held = take_lock(sys.argv[2], 'batch'); print('locked', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(ROOT), str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        message = refused(command("batch", files, out))
        assert f"in use by process {holder.pid}" in message and "hsr-careers batch" in message
    finally:
        holder.kill()
        holder.wait()
    assert lock_path(out).exists(), "a killed owner leaves its lock file behind"
    deadline = time.monotonic() + 10
    res = cli_inprocess(*command("batch", files, out))
    while res.returncode != 0 and time.monotonic() < deadline:  # the kernel drops the dead owner's flock at once
        time.sleep(0.2)
        res = cli_inprocess(*command("batch", files, out))
    assert res.returncode == 0, res.stderr
    assert f"left by process {holder.pid}" in res.stderr and "no longer running" in res.stderr
    assert not lock_path(out).exists()


def test_failing_validation_inside_a_command_leaves_no_cache(tmp_path):
    files = inputs(tmp_path)
    out = tmp_path / "sens"
    before = tree(tmp_path)
    message = refused(command("sensitivity", files, out, "-j", "0"))
    assert "--jobs" in message
    assert tree(tmp_path) == before, "no cache/points-*.jsonl or folder is left behind"
