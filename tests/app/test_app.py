"""The app's pieces without a browser: controls from the declaration, paired runs, effects, words, charts, saving."""

from __future__ import annotations

from pathlib import Path

import pytest

from experiments.app.levers import apply_levers, nice_step, policy_levers
from model.config import ModelConfig, numeric_parameters
from model.policies import POLICIES, BridgeFunding

pytest.importorskip("matplotlib")


def test_levers_cover_every_declared_policy_field_within_its_valid_range():
    levers = policy_levers()
    switches = [lv for lv in levers if lv.kind == "Checkbox"]
    assert [lv.key for lv in switches] == list(POLICIES)
    declared = numeric_parameters(ModelConfig(policies=[cls() for cls in POLICIES.values()]))
    sliders = {f"policies.{lv.policy}.{lv.field}": lv for lv in levers if lv.kind != "Checkbox"}
    assert set(sliders) == {p for p in declared if p.startswith("policies.")}
    for path, lv in sliders.items():
        row = declared[path]
        assert row["min"] <= lv.min <= lv.value <= lv.max <= row["max"], path
        assert lv.kind == ("SliderInt" if row["integer"] else "SliderFloat")


def test_levers_start_from_the_scenario_policies():
    config = ModelConfig(policies=[BridgeFunding(max_months=9)])
    by_key = {lv.key: lv for lv in policy_levers(config)}
    assert by_key["bridge_funding"].value is True and by_key["open_ended_contracts"].value is False
    assert by_key["bridge_funding__max_months"].value == 9


def test_apply_levers_switches_policies_and_refuses_bad_input():
    config = apply_levers(ModelConfig(), {"bridge_funding": True, "bridge_funding__max_months": 3, "fair_mentoring": False})
    assert [p.policy_type for p in config.policies] == ["bridge_funding"]
    assert config.policies[0].max_months == 3
    assert apply_levers(config, {"bridge_funding": False}).policies == []
    with pytest.raises(KeyError, match="valid controls"):
        apply_levers(ModelConfig(), {"bridge_fundin": True})
    with pytest.raises(ValueError):
        apply_levers(ModelConfig(), {"bridge_funding": True, "bridge_funding__max_months": 99})


def test_nice_step():
    assert nice_step(0, 1) == pytest.approx(0.05)
    assert nice_step(200_000, 3_000_000) == pytest.approx(100_000)


SMALL = Path(__file__).with_name("small.yaml")


@pytest.fixture
def small(monkeypatch):
    """The app opens the small test scenario (300 researchers, 12 reported years, 3 replicates)."""
    monkeypatch.setenv("HSR_APP_SCENARIO", str(SMALL))
    return SMALL


@pytest.fixture
def pair(small):
    from experiments.app.session import AppSettings, run_pair

    return run_pair(AppSettings.of({"population": 300, "replicates": 3, "seed": 5, "open_ended_contracts": True}))


def test_paired_runs_reproduce_hsr_careers_run_replicate_by_replicate(pair):
    from experiments.runs.replicates import run_replicate

    assert not pair.same and len(pair.metrics["scenario"]) == 3
    for rep in (0, 2):  # replicate i of each version is what `run` computes for replicate i from the same root seed
        assert run_replicate(pair.config, 5, rep)["metrics"] == pytest.approx(pair.metrics["scenario"].loc[rep].to_dict(), nan_ok=True)
        assert run_replicate(pair.baseline, 5, rep)["metrics"] == pytest.approx(pair.metrics["baseline"].loc[rep].to_dict(), nan_ok=True)
    e = pair.effects.loc["share_fixed_term_final"]
    d = pair.metrics["scenario"]["share_fixed_term_final"] - pair.metrics["baseline"]["share_fixed_term_final"]
    assert e["difference"] == pytest.approx(d.mean()) and e["ci_low"] < e["difference"] < e["ci_high"]
    assert e["ci_high"] < 0  # open-ended contracts clearly cut the fixed-term share


def test_no_lever_moved_runs_once_and_compares_nothing(small):
    from experiments.app.session import AppSettings, run_pair
    from experiments.app.words import effect_rows, run_card

    calls = []
    result = run_pair(AppSettings.of({"population": 200, "replicates": 2, "seed": 1}), lambda done, total: calls.append((done, total)))
    assert result.same and calls == [(1, 2), (2, 2)]  # one version only
    assert all(
        r.difference in ("—", "+0.0 pp", "0", "£0") or r.reading in ("no clear change", "not estimable") for r in effect_rows(result)
    )
    assert "nothing to compare yet" in " ".join(run_card(result, "app_small", None))


def test_a_stop_request_ends_the_run_early(small):
    from experiments.app.session import AppSettings, run_pair

    assert run_pair(AppSettings.of({"population": 200, "replicates": 3, "bridge_funding": True}), lambda d, t: d < 2) is None


def test_effect_rows_read_in_plain_words(pair):
    from experiments.app.words import effect_rows

    rows = {r.metric: r for r in effect_rows(pair)}
    fixed = rows["share_fixed_term_final"]
    assert fixed.reading == "better" and fixed.difference.endswith(" pp") and fixed.difference.startswith("−")
    assert fixed.label == "share of employed on fixed-term contracts (final year)"
    assert rows["policy_cost"].reading in ("more spending", "no clear change")
    for r in rows.values():
        assert r.reading in (
            "better",
            "worse",
            "no clear change",
            "not estimable",
            "more spending",
            "less spending",
            "cost of what is gained",
        )


def test_run_card_is_sentences_with_meanings_and_units(pair):
    from experiments.app.words import run_card

    text = " ".join(run_card(pair, "app_small", str(SMALL)))
    assert "Each run starts with 300 researchers, simulates 3 years of burn-in and then 12 reported years." in text
    assert "ran 3 times, replicate by replicate on the same random seeds (root seed 5)" in text
    assert "Continuous service after which a fixed-term post becomes open-ended: 4 years of service" in text
    assert "Chance an open-ended researcher whose funding ends is redeployed rather than made redundant: 80%" in text
    assert "after years" not in text and "prob 0.8 probability" not in text


def test_charts_have_plain_legends_and_no_text_under_the_minimum(pair):
    from matplotlib.text import Text

    from experiments.plots.app import FIGURES, MIN_FONT_PT, retention_figure

    for make in FIGURES:
        fig = make(pair)
        sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()]
        assert min(sizes) >= MIN_FONT_PT, (make.__name__, min(sizes))
        assert fig.get_figwidth() * fig.dpi == pytest.approx(880)
    legends = [t.get_text() for ax in retention_figure(pair).axes for t in ax.get_legend().get_texts()]
    assert "carers" in legends and "non-carers" in legends and "women" in legends
    assert not {"yes", "no"} & set(legends)


def test_save_as_scenario_round_trips_through_validate_and_run(pair, tmp_path):
    from experiments.app.save import save_scenario
    from experiments.cli import main
    from experiments.errors import InputError
    from experiments.scenarios.load import load_scenario

    settings = pair.settings
    path = save_scenario("saved_levers", settings, tmp_path)
    assert load_scenario(path).config == settings.config()
    assert main(["validate", str(path)]) == 0
    out = tmp_path / "run"
    assert main(["run", str(path), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    import json

    summary = json.loads((out / "summary.json").read_text())
    for metric in ("share_fixed_term_final", "retention_10y", "policy_cost"):  # run reproduces the app's numbers, replicate by replicate
        assert summary["metrics"][metric]["values"] == pytest.approx(pair.metrics["scenario"][metric].tolist())
    with pytest.raises(InputError, match="already exists"):
        save_scenario("saved_levers", settings, tmp_path)
    with pytest.raises(InputError, match="path separator"):
        save_scenario("a/b", settings, tmp_path)


def test_levers_show_their_range_and_shares_as_percentages():
    by_key = {lv.key: lv for lv in policy_levers()}
    assert by_key["bridge_funding__max_months"].range_text() == ("3 months", "12 months")
    assert (
        by_key["open_ended_contracts__redeploy_prob"].shown()
        == "Chance an open-ended researcher whose funding ends is redeployed rather than made redundant: 80%"
    )


def test_app_command_refuses_a_missing_scenario(capsys):
    from experiments.cli import main

    assert main(["app", "--scenario", "no/such.yaml"]) == 2
    assert "scenario file not found" in capsys.readouterr().err


def test_port_zero_becomes_a_free_port_and_a_taken_port_is_refused():
    import socket

    from experiments.commands.app import choose_port
    from experiments.errors import InputError

    port = choose_port("127.0.0.1", 0)
    assert 0 < port < 65536
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(InputError, match="already in use"):
            choose_port("127.0.0.1", taken.getsockname()[1])


def test_the_page_javascript_is_installed_locally():
    """solara[assets] puts the JavaScript the page asks for where the server looks before the CDN."""
    import solara.server.settings as settings

    cache = settings.assets.proxy_cache_dir
    for package in ("@widgetti/solara-vuetify-app@10.1.1", "requirejs@2.3.6", "font-awesome@4.5.0"):
        assert (cache / package / "package.json").is_file(), package


def test_app_command_refuses_a_missing_save_folder(tmp_path, capsys):
    from experiments.cli import main

    assert main(["app", "--save-dir", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert "--save-dir: folder" in err and len(err.strip().splitlines()) == 1
