from .models import Role


def navigation(request):
    """What the navigation bar needs: the user's scope and role flags, computed once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # The supervising body's drill-down swaps request.scope for a read-only one over the
    # organisation it reads; the navigation stays the person's own.
    scope = getattr(request, "person_scope", None) or request.scope
    roles = scope.role_set
    flags = {
        "office": Role.OFFICE in roles or user.is_superuser,
        "unit_head": Role.UNIT_HEAD in roles,
        "leader": Role.LEADER in roles,
        "inspector": Role.INSPECTOR in roles or user.is_superuser,
        "admin": bool(roles & {Role.ADMIN, Role.SECURITY_ADMIN}) or user.is_superuser,
        # The system administrator reads the organisation's work (the dashboard, 考核); the
        # security administrator manages accounts and roles only (三员分立).
        "sysadmin": Role.ADMIN in roles or user.is_superuser,
        "auditor": Role.AUDITOR in roles or user.is_superuser,
        "role_grants": bool(roles & {Role.INSPECTOR, Role.AUDITOR}) or user.is_superuser,
        # Annual reports are read by whoever reads the whole organisation (the principal
        # leader included), as reports.views.base.readable_reports has it.
        "reports": bool(scope.full_read_org_ids) or user.is_superuser,
        # The office, leaders and inspectors of a supervising body (机关工委).
        "supervises": bool(scope.supervising_paths) or user.is_superuser,
    }
    return {
        "scope": scope,
        "nav": {
            **flags,
            "role_labels": [Role(role).label for role in Role.values if role in roles],
            # The menus are drawn from these flags alone (templates/includes/navbar.html caches
            # them under this key): every flag is in it, those added later too.
            "menu_key": " ".join(name for name, shown in flags.items() if shown),
        },
    }
