"""The sentences of haihe.core's audit events (haihe.core.audit_display)."""

from django.utils.translation import gettext_lazy as _

from haihe.core import audit_display

audit_display.register(
    {
        "import_job.check": _("{actor} 的导入任务 {target} 已完成校验"),
        "import_job.write": _("{actor} 的导入任务 {target} 开始写入"),
        "import_job.finish": _("{actor} 的导入任务 {target} 已完成"),
        "import_job.fail": _("{actor} 的导入任务 {target} 失败"),
    }
)

# import.<kind>: an import job of each registered importer (haihe.core.imports)
audit_display.register_prefix("import.", _("{actor} 导入了 {target}"))
