"""The app's pieces without a browser: controls from the declaration, the live model, its charts."""

from __future__ import annotations

import io

import pytest

from experiments.app.levers import apply_levers, nice_step, policy_levers
from experiments.app.live import LiveModel, snapshot
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


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def test_live_model_steps_years_and_the_lever_changes_the_chart(monkeypatch):
    from experiments.plots.app import contract_mix_figure, exits_figure, retention_figure, stage_mix_figure

    monkeypatch.delenv("HSR_APP_SCENARIO", raising=False)

    def run(**levers):
        m = LiveModel(population=300, seed=3, **levers)
        assert m.yearly_rows == [] and m.year == 0  # burn-in done, nothing reported yet
        m.step()
        m.step()
        return m

    base, again, lever = run(), run(), run(open_ended_contracts=True)
    assert [r["year"] for r in base.yearly_rows] == [0, 1]
    assert _png(contract_mix_figure(snapshot(base))) == _png(contract_mix_figure(snapshot(again)))  # same seed, same chart
    assert _png(contract_mix_figure(snapshot(base))) != _png(contract_mix_figure(snapshot(lever)))
    assert lever.yearly_rows[-1]["share_fixed_term"] < base.yearly_rows[-1]["share_fixed_term"]
    snap = snapshot(base)
    assert set(snap.retention["group"]) >= {"all", "carer:yes", "carer:no"}
    for make in (stage_mix_figure, retention_figure, exits_figure):
        fig = make(snap)
        assert all(ax.get_title() for ax in fig.axes)
        assert any(ax.get_xlabel() for ax in fig.axes) and any(ax.get_ylabel() for ax in fig.axes)


def test_live_model_stops_at_the_horizon(monkeypatch):
    monkeypatch.delenv("HSR_APP_SCENARIO", raising=False)
    from experiments.app import live

    monkeypatch.setattr(live, "base_scenario", lambda: ("tiny", ModelConfig.model_validate({"run": {"years": 2, "burn_in_years": 1}})))
    m = live.LiveModel(population=100, seed=1)
    m.step()
    assert m.running
    m.step()
    assert not m.running and len(m.yearly_rows) == 2


def test_app_command_refuses_a_missing_scenario(capsys):
    from experiments.cli import main

    assert main(["app", "--scenario", "no/such.yaml"]) == 2
    assert "scenario file not found" in capsys.readouterr().err


def test_app_prints_the_assets_cache_hint_when_solara_cannot_load_its_javascript(monkeypatch, capsys):
    import sys

    from experiments.commands import app

    assert not app.cdn_reachable(("127.0.0.1", 9), timeout=1)  # nothing listens on the discard port here
    watch = app.AssetWatch()
    assert watch.feed("INFO: Started server process") is None
    assert watch.feed("WARNING: Could not load URL: 'https://cdn.jsdelivr.net/npm/requirejs@2.3.6' (timed out)") == app.HINT
    assert watch.feed("WARNING: Could not load URL: 'again'") is None  # said once, not once per failed file
    # Through the real pipe: a stand-in server that logs what Solara logs on a closed network.
    fake = [sys.executable, "-c", "print('Solara server is starting'); print(\"Could not load URL: 'https://cdn.example/x.js'\")"]
    assert app.serve(fake, env={}, watch=True) == 0
    err = capsys.readouterr().err
    assert "Could not load URL" in err and "--assets-cache" in err and "fetch_solara_assets.sh" in err


def test_app_refuses_an_assets_cache_that_is_not_one(tmp_path, capsys):
    from experiments.cli import main

    assert main(["app", "--assets-cache", str(tmp_path / "none")]) == 2
    assert "--assets-cache" in capsys.readouterr().err
