"""{% load audit %}: an audit event as a sentence and its changes (haihe.core.audit_display)."""

from django import template

from haihe.core import audit_display

register = template.Library()


@register.filter
def audit_sentence(event):
    return audit_display.sentence(event)


@register.filter
def audit_changes(event):
    return audit_display.changes(event)


@register.filter
def audit_channel(channel):
    return audit_display.channel_label(channel)
