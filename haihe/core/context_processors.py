"""The header's navigation: the entries each module registered (haihe.core.nav) that the user
sees, grouped by area."""

from haihe.core import nav


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": [], "nav_items": []}
    groups = nav.groups_for(user, request.path)
    items = [item for group in groups for item in group["items"]]
    return {"nav_groups": groups, "nav_items": items}
