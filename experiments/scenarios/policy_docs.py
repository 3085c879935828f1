"""The policy reference, ``docs/policies.md``, generated from the registry and each policy's declared fields.

``python -m experiments.scenarios.policy_docs`` rewrites the file (``make docs`` does the
same); ``--check`` exits 1 if it is stale. A test runs the check and validates every
example. What each policy does is its class docstring; its settings, units, defaults,
ranges, meanings and sources are its fields' declarations; what it costs is the settings
in pounds plus what it declares it adds (``adds``). Only who is eligible is written here,
in ``ELIGIBLE``, because no declaration holds it yet; a test requires an entry for every
registered policy and that every setting it names in backticks is declared.
"""

from __future__ import annotations

import sys
from pathlib import Path

from experiments.scenarios.policy_settings import cost_settings, num, settings, summary
from experiments.scenarios.template import scenario_text
from model.policies import POLICIES

DOC = Path(__file__).resolve().parents[2] / "docs" / "policies.md"
REBUILD = "python -m experiments.scenarios.policy_docs"

ELIGIBLE: dict[str, str] = {
    "bridge_funding": "Researchers in a gap between contracts whose career stage is one of `stages` and who have at least "
    "`min_service_years` of research service; months are paid first come, first served until the year's budget is spent, "
    "at most `max_months` per gap.",
    "open_ended_contracts": "Researchers on fixed-term contracts once they reach `after_years` of continuous service; "
    "afterwards, every open-ended researcher whose funding ends is redeployed with chance `redeploy_prob`.",
    "fair_mentoring": "Doctoral and early-career researchers without a formal mentor, the `priority_groups` matched first; "
    "mentors are mid-career and senior researchers who volunteer (more of them as the incentive rises).",
    "disability_adjustments": "Disabled or neurodivergent researchers who have disclosed it (those who do not disclose are not reached).",
    "caring_support": "Every researcher with caring duties, each year they have them.",
    "hardship_support": "Researchers in a gap between contracts whose financial safety net has run out: one grant per gap, "
    "while the year's budget lasts.",
    "protected_time": "Early and mid-career researchers in post (not in a gap); it ends on promotion to senior.",
    "inclusive_leadership": "Everyone at the employers reached (`employer_share` of them, the same each year); the penalties it "
    "shrinks fall on working-class, disabled and neurodivergent researchers.",
    "joint_posts": "NHS and third-sector researchers at early career or later.",
    "consistent_management": "Mid-career and senior researchers who manage others, at the employers taking part "
    "(`employer_share`); the researchers they manage gain the support.",
    "cross_sector": "Any researcher, a random share each year; joint-post holders also gain belonging.",
}

ADDS = {
    "salary_months": "It pays salary but creates no post: people it keeps in research hold places others could have filled, "
    "so read entrants hired and displacement beside retention.",
    "posts": "It funds posts that others can be hired into.",
    "nothing": "It adds no salary and no post: it changes who stays, is promoted or is renewed, not how many can be employed.",
}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _default(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return num(value) if isinstance(value, int | float) else str(value)


def _heading(policy_type: str) -> str:
    cls = POLICIES[policy_type]
    return f"{policy_type} — {cls.report_heading}" if cls.report_heading else policy_type


def policy_section(policy_type: str) -> list[str]:
    """The markdown section of one policy."""
    cls = POLICIES[policy_type]
    lines = [f"## {_heading(policy_type)}", "", summary(cls), ""]
    lines += [f"**Who is eligible.** {ELIGIBLE.get(policy_type, '(not yet described)')}", ""]
    lines += ["**Settings.**", "", "| setting | unit | default | valid | plausible | meaning | source |", "|---|---|---|---|---|---|---|"]
    for s in settings(cls):
        lines.append(f"| `{s.name}` | {_cell(s.unit or '—')} | {_cell(_default(s.default))} | {_cell(s.valid)} | {s.plausible_text} | "
                     f"{_cell(s.meaning)} | {_cell(s.source)} |")  # fmt: skip
    costs = cost_settings(cls)
    spent = "; ".join(f"`{s.name}` ({s.unit.replace('GBP', '£')}, default £{num(s.default)}): {s.meaning.rstrip('.')}" for s in costs)
    lines += ["", f"**What it costs.** {'Its settings in pounds: ' + spent if spent else 'No setting is in pounds'}. Spending is booked in the year it is spent "
              f"and discounted in the report. {ADDS.get(getattr(cls, 'adds', 'nothing'), '')}", ""]  # fmt: skip
    lines += [f"**Example** (what `hsr-careers new my_{policy_type} --policy {policy_type}` writes; it validates as it stands):", ""]
    lines += ["```yaml", scenario_text(f"my_{policy_type}", [policy_type], show_run=False).rstrip("\n"), "```", ""]
    return lines


def reference() -> str:
    """The whole of ``docs/policies.md``."""
    lines = [
        "# Policy reference",
        "",
        f"<!-- generated by `{REBUILD}` from the policy declarations; do not edit by hand -->",
        "",
        "Every policy a scenario can switch on, with each of its settings. Start a scenario with",
        "`hsr-careers new NAME --policy TYPE [--policy TYPE ...]` (run after `make run`, as",
        "`.venv/bin/hsr-careers` or with `source .venv/bin/activate` first): it writes a file that",
        "builds on the shipped baseline (`extends: baseline`) with every setting of the chosen policies",
        "at its default and explained in a comment. Change the numbers, then `hsr-careers validate FILE`.",
        "Writing scenario files, `extends` and the run settings: [scenarios.md](scenarios.md).",
        "",
        "In the tables, *valid* is what a scenario may hold (anything else is refused with the valid range);",
        "*plausible* is what a modeller would still call believable (sensitivity analysis samples it, and",
        "`validate` warns outside it). Money (GBP) is in pounds.",
        "",
        "| policy | report heading | what it does |",
        "|---|---|---|",
    ]
    for t, cls in POLICIES.items():
        lines.append(f"| [`{t}`](#{_slug(_heading(t))}) | "
                     f"{cls.report_heading or '—'} | {_cell(summary(cls))} |")  # fmt: skip
    lines.append("")
    for t in POLICIES:
        lines += policy_section(t)
    return "\n".join(lines).rstrip("\n") + "\n"


def _slug(text: str) -> str:
    """GitHub's heading anchor for ``text`` (lower case, punctuation dropped, spaces to hyphens)."""
    return "".join(ch for ch in text.lower() if ch.isalnum() or ch in " -_").replace(" ", "-")


def main(argv: list[str] | None = None) -> int:
    """Rewrite ``docs/policies.md``; with ``--check`` only say whether it is current (exit 1 if stale)."""
    argv = sys.argv[1:] if argv is None else argv
    text = reference()
    if "--check" in argv:
        if not DOC.is_file() or DOC.read_text(encoding="utf-8") != text:
            print(f"{DOC.name} is stale: rebuild it with {REBUILD}", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
