"""Shared folders: the tool never follows a link it did not make, never replaces what is not its own,
and a rerun or --force touches only the files the tool wrote (its manifest lists them)."""

from __future__ import annotations

import json
import os

import pytest
from hostile_helpers import command, inputs, refused, tree
from scenario_helpers import SCENARIOS, cli_inprocess

from experiments.out_folder import lock_path


def _victim(tmp):
    """A file someone else cares about, which a planted link points at."""
    victim = tmp / "victim"
    victim.mkdir()
    (victim / "data.txt").write_text("precious")
    (victim / ".part.tmp").write_text("also precious")
    return victim


@pytest.mark.parametrize("cmd", ["run", "batch"])
def test_planted_lock_link_is_refused_and_its_target_untouched(tmp_path, cmd):
    files = inputs(tmp_path)
    victim = _victim(tmp_path)
    out = tmp_path / "shared" / "out"
    out.parent.mkdir()
    lock_path(out).symlink_to(victim / "data.txt")
    before = tree(victim)
    message = refused(command(cmd, files, out))
    assert "symbolic link" in message and ".out.lock" in message, message
    assert tree(victim) == before and (victim / "data.txt").read_text() == "precious"
    assert not out.exists()


def test_planted_lock_file_of_another_kind_is_refused(tmp_path):
    files = inputs(tmp_path)
    out = tmp_path / "out"
    os.mkfifo(lock_path(out))  # a FIFO: opening it for writing would block or feed someone's reader
    message = refused(command("run", files, out))
    assert "FIFO" in message and ".out.lock" in message


def test_planted_partial_link_is_refused_and_its_target_untouched(tmp_path):
    files = inputs(tmp_path)
    victim = _victim(tmp_path)
    out = tmp_path / "out"
    (tmp_path / ".out.partial").symlink_to(victim)
    before = tree(victim)
    message = refused(command("run", files, out))
    assert "symbolic link" in message and ".out.partial" in message, message
    assert tree(victim) == before, "no Parquet part written into, no .tmp file deleted from, the link's target"
    assert not out.exists()


def test_out_folder_that_is_a_link_is_refused(tmp_path):
    files = inputs(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.symlink_to(elsewhere)
    message = refused(command("run", files, out))
    assert "symbolic link" in message
    assert list(elsewhere.iterdir()) == []


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("runs")
    files = inputs(tmp)
    out = tmp / "run"
    res = cli_inprocess(*command("run", files, out))
    assert res.returncode == 0, res.stderr
    return files, out


def _copy(src, dst):
    import shutil

    shutil.copytree(src, dst)
    return dst


def test_manifest_lists_the_files_the_tool_wrote(run_folder):
    _, out = run_folder
    listed = json.loads((out / "manifest.json").read_text())["output"]["files"]
    assert sorted(listed) == sorted(os.listdir(out))
    assert {"summary.json", "retention.csv", "manifest.json", "report.html"} <= set(listed)


@pytest.mark.parametrize("report_target", ["symlink", "fifo", "device"])
def test_report_out_refuses_links_and_special_files(run_folder, tmp_path, report_target):
    import stat

    _, out = run_folder
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / "report.html"
    if report_target == "symlink":  # like a link to /proc/self/fd/1 or to someone's file
        target.symlink_to(victim)
    elif report_target == "fifo":
        os.mkfifo(target)
    else:  # a node like /dev/null, made here (root only) so a failing test never replaces the machine's own
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    message = refused(["report", str(out), "--out", str(target)])
    assert str(target) in message and any(w in message for w in ("symbolic link", "FIFO", "a device")), message
    assert victim.read_text() == "precious"
    kind = {"symlink": stat.S_ISLNK, "fifo": stat.S_ISFIFO, "device": stat.S_ISCHR}[report_target]
    assert kind(os.lstat(target).st_mode), "left as it was, not replaced by a regular file"


def test_report_into_a_read_only_folder_is_one_line(run_folder, tmp_path):
    _, out = run_folder
    folder = _copy(out, tmp_path / "ro")
    folder.chmod(0o555)
    try:
        message = refused(["report", str(folder), "--out", str(folder / "again.html")])
        assert "read-only" in message and "again.html" in message
    finally:
        folder.chmod(0o755)


def test_user_files_survive_a_rerun_and_force(run_folder, tmp_path):
    files, first = run_folder
    out = _copy(first, tmp_path / "run")
    (out / "my_notes.txt").write_text("mine")
    (out / "mine").mkdir()
    (out / "mine" / "draft.md").write_text("also mine")
    assert cli_inprocess(*command("run", files, out)).returncode == 0  # same settings: results replaced
    assert (out / "my_notes.txt").read_text() == "mine" and (out / "mine" / "draft.md").read_text() == "also mine"
    res = cli_inprocess(*command("run", files, out, "--seed", "5", "--force"))  # other settings, forced
    assert res.returncode == 0, res.stderr
    assert (out / "my_notes.txt").read_text() == "mine" and (out / "mine" / "draft.md").is_file()
    assert json.loads((out / "summary.json").read_text())["seed"] == 5
    listed = json.loads((out / "manifest.json").read_text())["output"]["files"]
    assert "my_notes.txt" not in listed and "mine" not in listed


def test_force_in_place_keeps_user_files(run_folder, tmp_path):
    files, first = run_folder
    out = _copy(first, tmp_path / "run")
    (out / "my_notes.txt").write_text("mine")
    res = cli_inprocess(*command("batch", files, out, "--force"))  # run results replaced by a batch, in place
    assert res.returncode == 0, res.stderr
    assert (out / "my_notes.txt").read_text() == "mine"
    assert not (out / "summary.json").exists() and (out / "runs").is_dir()
    res = cli_inprocess(*command("run", files, out, "--force"))  # and back
    assert res.returncode == 0, res.stderr
    assert (out / "my_notes.txt").read_text() == "mine" and not (out / "runs").exists()


def test_ensemble_rerun_keeps_discovery_written_inside_it(tmp_path):
    out = tmp_path / "ens"
    args = ["compare", SCENARIOS / "baseline.yaml", SCENARIOS / "bridge_funding.yaml", "--ensemble", "10", "--reps", "2",
            "--population", "40", "--years", "3", "--quiet", "--out", out]  # fmt: skip
    res = cli_inprocess(*args)
    assert res.returncode == 0, res.stderr
    res = cli_inprocess("discover", out, "--goal", "effect_policy_cost < 70000")
    assert res.returncode == 0, res.stderr
    assert (out / "discovery" / "boxes.csv").is_file()
    before = tree(out / "discovery")
    res = cli_inprocess(*args)
    assert res.returncode == 0, res.stderr
    assert tree(out / "discovery") == before
