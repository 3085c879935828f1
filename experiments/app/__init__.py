"""The interactive app: policy levers generated from the declaration, a live model, Mesa SolaraViz page.

``levers`` derives the controls, ``live`` holds the model the app steps and the
snapshot the charts draw, ``page`` is the Solara page ``hsr-careers app`` serves.
"""
