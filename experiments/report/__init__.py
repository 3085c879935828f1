"""The one-page HTML report a decision-maker reads: ``write_report(results_dir)``.

Built from the files a ``run`` or ``compare`` wrote (never by re-running anything),
with a Jinja2 template and the project's plotting module; figures are embedded as
base64 PNGs so the file opens offline, e.g. from an email attachment.
"""

from experiments.report.build import write_report

__all__ = ["write_report"]
