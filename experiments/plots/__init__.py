"""All plotting (matplotlib, Agg backend): one package, a module per output family."""

import matplotlib

matplotlib.use("Agg")
