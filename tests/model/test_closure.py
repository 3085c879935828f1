"""The labour-market closure (model/closure.py): roles that need experience go only to experienced researchers."""

from __future__ import annotations

import numpy as np
from model_testing import small_config

from model import closure, run_one
from model.career_model import CareerModel
from model.population import MID
from model.posts import ESTABLISHMENT


def test_experienced_roles_are_held_only_by_experienced_researchers():
    model = CareerModel(small_config(population=1500, years=5, burn_in=10, **{"posts.experience_roles": 0.5}), seed=2)
    model.run()
    pop, posts = model.pop, model.posts
    holders = np.flatnonzero(pop.experienced_role[: pop.n])
    assert len(holders) == posts.filled_experienced > 0
    assert pop.alive[holders].all() and (pop.post[holders] == ESTABLISHMENT).all()
    assert (pop.stage[holders] >= MID).all()  # stage never falls, so every holder was experienced when hired
    assert posts.filled_experienced <= round(0.5 * posts.establishment)


def test_default_closure_has_no_experienced_roles():
    model = CareerModel(small_config(population=800, years=3, burn_in=3), seed=2)
    model.run()
    assert model.posts.filled_experienced == 0 and not model.pop.experienced_role.any()


def test_grant_income_follows_the_experienced_workforce():
    # Analytic case: with elasticity e, losing half the experienced researchers scales grant income by 0.5^e.
    for e in (0.0, 0.5, 1.0):
        model = CareerModel(small_config(population=1500, years=2, burn_in=2, **{"posts.grant_lead_elasticity": e}), seed=4)
        model.run()
        assert closure.grant_factor(model.posts) > 0
        pop = model.pop
        leads = np.flatnonzero(pop.alive[: pop.n] & (pop.stage[: pop.n] >= MID))
        model.posts.__dict__["lead_reference"] = len(leads)
        assert closure.grant_factor(model.posts) == 1.0
        pop.alive[leads[: len(leads) // 2]] = False
        expected = ((len(leads) - len(leads) // 2) / len(leads)) ** e
        assert abs(closure.grant_factor(model.posts) - expected) < 1e-12


def test_grant_led_closure_creates_posts_with_the_workforce():
    # System level: more experienced researchers (slower exits) bring more grant posts only under the grant-led closure.
    def posts_created(overrides: dict) -> float:
        return run_one(small_config(population=1200, years=6, burn_in=10, **overrides), 3).yearly["grant_posts_created"].sum()

    keep = {"exits.dissatisfied_rate": 0.05, "exits.other_sector_rate": 0.01}
    fixed = posts_created(keep) / posts_created({})
    led = posts_created({**keep, "posts.grant_lead_elasticity": 1.0}) / posts_created({"posts.grant_lead_elasticity": 1.0})
    assert led > fixed + 0.03, (led, fixed)
