from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from casp.context_processors import NavItem


class CaspConfig(AppConfig):
    name = "casp"
    verbose_name = _("CASP kernel")
    nav_items = (NavItem(_("Home"), "home", frozenset()),)
    # Labels of audit actions (casp.audit_display); each app declares its own.
    audit_actions = {
        "*.admin_added": _("Added in administration"),
        "*.admin_changed": _("Changed in administration"),
        "*.admin_deleted": _("Deleted in administration"),
        "casp.audit_exported": _("Audit log exported"),
    }

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from casp import checks  # noqa: F401  (registers system checks)

        post_migrate.connect(_sync_roles, dispatch_uid="casp.roles_sync")

    def seed_demo(self, out) -> None:  # noqa: ANN001
        from casp.roles import roles_sync

        roles_sync()
        out.write("Roles: one group per role.")


def _sync_roles(sender: AppConfig, **kwargs: object) -> None:
    # post_migrate is sent once per app, in INSTALLED_APPS order, and each app's
    # permissions exist only after its own turn: sync after the last app.
    from django.apps import apps

    if sender.label != list(apps.get_app_configs())[-1].label:
        return
    from casp.roles import roles_sync

    roles_sync()
