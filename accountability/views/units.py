import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import ListView

from .. import people_import
from ..access import ScopedMixin
from ..forms import PeopleImportForm
from ..models import Organisation, Role, Unit


class UnitListView(ScopedMixin, ListView):
    """The organisation tree as far as the user may see it."""

    model = Unit
    scope_unit_field = None
    scope_org_field = "organisation"
    template_name = "accountability/unit_list.html"

    def get_queryset(self):
        scope = self.request.scope
        return (
            scope.readable_units()
            .select_related("organisation", "leader_in_charge", "head")
            .order_by("organisation__name", "path")
        )


# -- importing units and people (accountability/people_import.py) ------------------------------
IMPORT_SALT = "accountability.people_import"
IMPORT_MAX_AGE = 3600  # seconds between the preview and the confirmation


def _administered(request):
    """The organisations whose units and people the person keeps: a system administrator's (the
    admin site's rule), every one for a superuser; none: 403."""
    scope = request.scope
    organisations = Organisation.objects.order_by("name")
    if not scope.is_superuser:
        ids = [org for org, roles in scope.roles.items() if Role.ADMIN in roles]
        organisations = organisations.filter(pk__in=ids)
    if not organisations:  # evaluated once: the form's choices reuse the rows
        raise PermissionDenied
    return organisations


@login_required
def unit_import(request):
    """Upload the workbook, see every row checked, then confirm: all rows or none."""
    organisations = _administered(request)
    problems, preview = [], None
    form = PeopleImportForm(organisations=organisations)
    if request.method == "POST" and "rows" in request.POST:
        try:
            signed = signing.loads(request.POST["rows"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
        except signing.BadSignature:
            messages.error(request, _("导入内容已过期或不完整，请重新上传文件。"))
            return redirect("accountability:unit-import")
        organisation = next((o for o in organisations if o.pk == signed["organisation"]), None)
        if organisation is None:
            raise PermissionDenied
        plan = people_import.Plan(units=signed["units"], people=signed["people"])
        done = people_import.create(plan, organisation)
        if done is not None:
            messages.success(
                request,
                _(
                    "已导入 %(units)d 个单位、%(people)d 名人员。导入的人员还没有密码和角色，"
                    "请安全管理员在管理后台授予角色、设置密码。"
                )
                % {"units": done[0], "people": done[1]},
            )
            return redirect("accountability:unit-list")
        problems = plan.problems  # something changed since the preview
    elif request.method == "POST":
        form = PeopleImportForm(request.POST, request.FILES, organisations=organisations)
        if form.is_valid():
            organisation = form.cleaned_data["organisation"]
            plan = people_import.parse(form.cleaned_data["file"])
            if not plan.problems:
                people_import.check(plan, organisation)
            if plan.ok:
                payload = {"organisation": organisation.pk, **plan.rows()}
                preview = {
                    "organisation": organisation,
                    "plan": plan,
                    "rows": signing.dumps(payload, salt=IMPORT_SALT, compress=True),
                }
            problems = plan.problems
    return render(
        request,
        "accountability/unit_import.html",
        {"form": form, "problems": problems, "preview": preview},
    )


@login_required
def unit_import_template(request):
    _administered(request)
    stream = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    people_import.template_workbook(stream)
    stream.seek(0)
    return FileResponse(
        stream,
        as_attachment=True,
        filename="单位和人员导入模板.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
