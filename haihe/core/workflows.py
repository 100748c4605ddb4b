"""The lifecycle of an uploaded table being imported in the background (core.imports): taken by
the platform only, each step audited.

queued → checking → writing → done; checking (or queued, when the file cannot be read) → failed.
"""

from django.utils.translation import gettext_lazy

from haihe.core.workflow import Transition, Workflow

IMPORT_JOB_WORKFLOW = Workflow("import_job", initial=("queued",))
for _name, _sources, _target, _label in [
    ("check", ("queued",), "checking", gettext_lazy("开始检查")),
    ("write", ("checking",), "writing", gettext_lazy("检查通过，开始写入")),
    ("finish", ("writing",), "done", gettext_lazy("导入完成")),
    ("fail", ("queued", "checking"), "failed", gettext_lazy("有错误，未导入")),
]:
    IMPORT_JOB_WORKFLOW.add(Transition(_name, _sources, _target, label=_label, system=True))
