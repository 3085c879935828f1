"""Damaged, truncated or contradictory results folders are refused with one line naming the file and what is wrong:
never read silently (a truncated table is not a smaller result), never a traceback."""

from __future__ import annotations

import json
import shutil

import pytest
from hostile_helpers import command, inputs, refused
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_helpers import cli_inprocess


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("damaged")
    files = inputs(tmp)
    run_out, cmp_out = tmp / "run", tmp / "cmp"
    assert cli_inprocess(*command("run", files, run_out)).returncode == 0
    res = cli_inprocess(*command("compare", files, cmp_out, "--reps", "2"))
    assert res.returncode == 0, res.stderr
    return {"run": run_out, "compare": cmp_out}


def _copy(folders, kind, tmp_path, legacy=False):
    out = shutil.copytree(folders[kind], tmp_path / kind)
    if legacy:  # as an earlier version wrote it: no file list, no checksums
        m = json.loads((out / "manifest.json").read_text())
        m["output"].pop("checksums")
        m["output"].pop("files")
        (out / "manifest.json").write_text(json.dumps(m))
    return out


def test_report_on_a_truncated_effects_table_is_refused(folders, tmp_path):
    out = _copy(folders, "compare", tmp_path)
    data = (out / "effects.csv").read_bytes()
    cut = data[: data.index(b"\n", len(data) // 2) + 1]  # whole lines: a well-formed but shorter table
    (out / "effects.csv").write_bytes(cut)
    message = refused(["report", str(out)])
    assert "effects.csv" in message and f"{len(cut)} bytes" in message and "truncated" in message


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "lots"])
def test_edited_values_are_refused(folders, tmp_path, value):
    out = _copy(folders, "compare", tmp_path)
    lines = (out / "effects.csv").read_text().splitlines()
    cells = lines[1].split(",")
    cells[6] = value  # the difference column
    lines[1] = ",".join(cells)
    (out / "effects.csv").write_text("\n".join(lines) + "\n")
    assert "effects.csv" in refused(["report", str(out)])


@pytest.mark.parametrize(("value", "fragment"), [("inf", "infinite value"), ("lots", "'lots' in row 1, not a number")])
def test_legacy_folder_without_checksums_is_still_checked(folders, tmp_path, value, fragment):
    out = _copy(folders, "compare", tmp_path, legacy=True)
    assert cli_inprocess("report", out).returncode == 0  # an intact older folder is read
    lines = (out / "effects.csv").read_text().splitlines()
    cells = lines[1].split(",")
    cells[6] = value
    lines[1] = ",".join(cells)
    (out / "effects.csv").write_text("\n".join(lines) + "\n")
    message = refused(["report", str(out)])
    assert "effects.csv" in message and "difference" in message and fragment in message


@pytest.mark.parametrize(("content", "fragment"), [('"a string"', "JSON str, not an object"), ("{}", "is empty"),
                                                   ('{"output": "run"}', "output.kind"), (b"\xff\xfe\x00garbage", "not UTF-8")])  # fmt: skip
def test_manifest_that_is_not_ours_is_refused(folders, tmp_path, content, fragment):
    out = _copy(folders, "run", tmp_path)
    (out / "manifest.json").write_bytes(content.encode() if isinstance(content, str) else content)
    message = refused(["report", str(out)])
    assert "manifest.json" in message and fragment in message, message


def test_deleted_effects_table_is_named(folders, tmp_path):
    out = _copy(folders, "compare", tmp_path)
    (out / "effects.csv").unlink()
    message = refused(["report", str(out)])
    assert "effects.csv is missing" in message and "summary.json" not in message


def test_garbage_in_a_table_is_refused(folders, tmp_path):
    out = _copy(folders, "run", tmp_path, legacy=True)
    (out / "retention.csv").write_bytes(b"\x00\x01\x02garbage\xff" * 50)
    assert "retention.csv" in refused(["report", str(out)])


FILES = {"run": ["manifest.json", "summary.json", "retention.csv", "yearly.parquet"],
         "compare": ["manifest.json", "summary.json", "retention.csv", "effects.csv"]}  # fmt: skip
CASES = [(k, f, legacy) for k, names in FILES.items() for f in names for legacy in (False, True)]


@pytest.mark.parametrize(("kind", "name", "legacy"), CASES)
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_bytes_or_truncation_of_a_file_report_reads(folders, tmp_path_factory, kind, name, legacy, data):
    """Property: whatever a results file holds (a truncation of itself, random bytes, a one-byte change), report either
    writes the page (the file is intact) or refuses in one line naming a file; never a traceback."""
    out = _copy(folders, kind, tmp_path_factory.mktemp("prop"), legacy)
    original = (out / name).read_bytes()
    how = data.draw(st.sampled_from(["truncate", "bytes", "flip"]))
    if how == "truncate":
        new = original[: data.draw(st.integers(0, max(len(original) - 1, 0)))]
    elif how == "bytes":
        new = data.draw(st.binary(max_size=400))
    else:
        i = data.draw(st.integers(0, len(original) - 1))
        new = original[:i] + bytes([original[i] ^ data.draw(st.integers(1, 255))]) + original[i + 1 :]
    (out / name).write_bytes(new)
    res = cli_inprocess("report", out)
    assert "Traceback" not in res.stderr
    if new == original:
        assert res.returncode == 0
    elif res.returncode != 0:
        assert res.returncode == 2 and res.stderr.startswith("error: ") and len(res.stderr.strip().splitlines()) == 1, res.stderr
    if not legacy and name != "manifest.json":  # the checksum catches every change
        assert res.returncode == (0 if new == original else 2)
