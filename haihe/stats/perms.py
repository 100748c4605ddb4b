"""Who may read the headline figures: one answer for the dashboard and /api/v1/stats/."""

from haihe.accounts.roles import BUREAU_ROLES, Role, active_role

FIGURE_READERS = BUREAU_ROLES | {Role.DISTRICT_REVIEWER}


def can_view_figures(user) -> bool:
    """The bureau (administrator, municipal reviewers) and the district reviewers read every
    headline figure, city-wide, with its by-district and by-month breakdowns; organisations'
    accounts, experts and workers read none (403)."""
    return active_role(user) in FIGURE_READERS
