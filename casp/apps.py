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
        post_migrate.connect(_grant_app_privileges, dispatch_uid="casp.app_privileges_grant")

    def seed_demo(self, out) -> None:  # noqa: ANN001
        from casp.roles import roles_sync

        roles_sync()
        out.write("Roles: one group per role.")


def _is_last_app(sender: AppConfig) -> bool:
    # post_migrate is sent once per app with a models module, in INSTALLED_APPS order, after every
    # migration has run (an app without models.py, such as analytics, gets no signal).
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    return sender.label == with_models[-1].label


def _sync_roles(sender: AppConfig, **kwargs: object) -> None:
    # Each app's permissions exist only after its own turn: sync after the last app.
    if not _is_last_app(sender):
        return
    from casp.roles import roles_sync

    roles_sync()


def _grant_app_privileges(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    # Tables created by this migrate (and triggers that make a table append-only) need their grants.
    if not _is_last_app(sender):
        return
    from django.conf import settings
    from django.db import connections, transaction

    from casp.dbroles import app_privileges_grant

    with transaction.atomic(using=using):
        app_privileges_grant(
            connections[using], role=settings.DATABASE_APP_ROLE, password=settings.DATABASE_APP_PASSWORD
        )
