"""`haihe platform-credentials PLATFORM_USCC`: issue a new xAPI key and secret for a platform."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from haihe.core.identifiers import normalise_uscc
from haihe.registry.models import Organisation
from haihe.xapi import services


class Command(BaseCommand):
    help = "签发线上培训平台的 xAPI 凭据（打印新的密钥标识和口令，口令仅显示这一次）。"

    def add_arguments(self, parser):
        parser.add_argument("uscc", help="平台的统一社会信用代码 / the platform's USCC")
        parser.add_argument("--label", default="", help="用途说明 / what the credential is for")

    def handle(self, *args, uscc, label, **options):
        organisation = Organisation.objects.filter(uscc=normalise_uscc(uscc)).first()
        if organisation is None:
            raise CommandError(f"未找到统一社会信用代码为 {uscc} 的单位 / no organisation {uscc}")
        try:
            _credential, key, secret = services.credential_issue(
                actor=None, organisation=organisation, label=label or "command", channel="command"
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if not services.selection_in_force(organisation):
            self.stderr.write(
                "注意：该平台当前不在入选期内，凭据在入选前不能使用 / "
                "note: the platform is not currently selected; the credential works once it is"
            )
        self.stdout.write(f"platform: {organisation.name} ({organisation.uscc})")
        self.stdout.write(f"key:      {key}")
        self.stdout.write(f"secret:   {secret}")
