"""The interactive app: policy levers generated from the declaration, paired runs against the baseline, a Solara page.

``levers`` derives the controls, ``session`` runs the levers' scenario and the scenario
opened on the same seeds, ``words`` says what was run and what changed, ``save`` writes
the settings as a scenario file, and ``page`` is the Solara page ``hsr-careers app`` serves.
"""
