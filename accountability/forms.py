from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.evidence import EvidenceFilesField
from common.forms import GuidedFormMixin, WorkbookField

from .models import (
    DutyLetter,
    Organisation,
    ResponsibilityItem,
    RiskPoint,
    Role,
    Unit,
    User,
    WorkRecord,
    WorkRecordKind,
)
from .passwords import PasswordMessagesMixin


class LoginForm(GuidedFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确，请重新输入。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs.update({"autofocus": True, "autocomplete": "username"})
        self.helper = FormHelper()
        self.helper.form_tag = False

    def get_invalid_login_error(self):
        # A sign-on backend that could not reach its directory says so on the request (sso).
        message = getattr(self.request, "login_failure_message", None)
        if message:
            return forms.ValidationError(message, code="directory_unavailable")
        return super().get_invalid_login_error()


class PortalPasswordChangeForm(PasswordMessagesMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


# -- the year's records ------------------------------------------------------------------------

OUT_OF_SCOPE = _("所选单位不在您的填报范围内，请选择本单位或下级单位。")


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScopedChoicesMixin:
    """Limit unit / person / kind choices to what the user may write."""

    def limit_choices(self, scope):
        units = scope.writable_units().filter(is_active=True).order_by("organisation", "path")
        org_ids = set(scope.full_write_org_ids) | set(
            units.values_list("organisation_id", flat=True).distinct()
        )
        if scope.is_superuser:
            org_ids = None
        people = User.objects.filter(is_active=True)
        kinds = WorkRecordKind.objects.filter(is_active=True)
        if org_ids is not None:
            people = people.filter(organisation_id__in=org_ids)
            kinds = kinds.filter(organisation_id__in=org_ids)
        for name, queryset in (
            ("unit", units),
            ("responsible_unit", units),
            ("kind", kinds),
            ("participants", people.order_by("full_name")),
            ("owner", people.order_by("full_name")),
            (
                "leader",
                people.filter(role_assignments__role=Role.LEADER).distinct().order_by("full_name"),
            ),
            (
                "lead_leader",
                people.filter(role_assignments__role=Role.LEADER).distinct().order_by("full_name"),
            ),
        ):
            if name in self.fields:
                self.fields[name].queryset = queryset
        if "unit" in self.fields:
            self.fields["unit"].error_messages["invalid_choice"] = OUT_OF_SCOPE
        return org_ids


class WorkRecordForm(GuidedFormMixin, ScopedChoicesMixin, forms.ModelForm):
    evidence = EvidenceFilesField(required=False)

    class Meta:
        model = WorkRecord
        fields = [
            "date",
            "unit",
            "kind",
            "title",
            "participant_count",
            "leader",
            "participants",
            "description",
            "responsibility_items",
        ]
        widgets = {
            "date": _date_input(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "participants": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        org_ids = self.limit_choices(scope)
        if "responsibility_items" in self.fields:
            items = ResponsibilityItem.objects.select_related("list").order_by(
                "-list__year", "area_order", "order"
            )
            if org_ids is not None:
                items = items.filter(list__organisation_id__in=org_ids)
            self.fields["responsibility_items"].queryset = items
        if self.instance.pk and "kind" in self.fields:
            # A record keeps its kind after the kind is stopped.
            kinds = self.fields["kind"].queryset
            self.fields["kind"].queryset = WorkRecordKind.objects.filter(
                Q(pk__in=kinds.values("pk")) | Q(pk=self.instance.kind_id)
            ).order_by("order", "pk")
            self.fields["responsibility_items"].required = False
        self.fields["date"].widget.attrs["autofocus"] = True
        self.fields["participant_count"].error_messages["invalid"] = _("参加人数必须是整数。")
        self.fields["participant_count"].min_value = 0
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        unit, kind, date = data.get("unit"), data.get("kind"), data.get("date")
        if unit and kind and unit.organisation_id != kind.organisation_id:
            self.add_error("kind", _("类别必须属于该单位所在的党组织。"))
        for item in data.get("responsibility_items") or ():
            if date and item.list.year != date.year:
                self.add_error(
                    "date",
                    _("日期不在所落实责任清单的年度（%(year)s年）内。") % {"year": item.list.year},
                )
                break
        return data


class QuickRecordForm(WorkRecordForm):
    """The month view's one-line form: the essentials, Enter submits."""

    responsibility_item = forms.ModelChoiceField(
        label=_("落实责任事项"),
        queryset=ResponsibilityItem.objects.none(),
        required=False,
        empty_label=_("（不关联）"),
        help_text=_("同类别的记实自动计入清单进度；其他事项在此关联。"),
        error_messages={"invalid_choice": _("所选责任事项不在本单位该年度的责任清单内。")},
    )

    class Meta(WorkRecordForm.Meta):
        fields = ["date", "kind", "title", "participant_count", "leader"]
        widgets = {"date": _date_input()}

    def __init__(self, *args, unit, month, **kwargs):
        self.unit, self.month = unit, month
        super().__init__(*args, **kwargs)
        # The unit's organisation's list for the month's year: what this record may fulfil.
        self.fields["responsibility_item"].queryset = ResponsibilityItem.objects.filter(
            list__organisation_id=unit.organisation_id, list__year=month.year
        ).order_by("area_order", "order", "pk")

    def clean(self):
        self.cleaned_data["unit"] = self.unit
        item = self.cleaned_data.get("responsibility_item")
        self.cleaned_data["responsibility_items"] = [item] if item else []
        data = super().clean()
        date = data.get("date")
        if date and (date.year, date.month) != (self.month.year, self.month.month):
            self.add_error("date", _("日期必须在%(month)s内。") % {"month": f"{self.month:%Y-%m}"})
        return data


class DutyLetterIssueForm(GuidedFormMixin, forms.Form):
    """Issue a year's letters from a template, to the units or people chosen here."""

    DEFAULT_UNIT_KINDS = [Unit.Kind.DEPARTMENT, Unit.Kind.SUBORDINATE]

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("类型"), choices=DutyLetter.Kind.choices)
    level = forms.ChoiceField(label=_("层级"), choices=DutyLetter.Level.choices)
    unit_kinds = forms.MultipleChoiceField(
        label=_("下发到哪类单位"),
        choices=Unit.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("“党组—单位”层级：未勾选具体单位时，下发给所选类型的全部在用单位。"),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("或只下发给这些单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people = forms.ModelMultipleChoiceField(
        label=_("签订人员"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "“党组—班子成员”层级：未勾选时下发给全体班子成员；“负责人—重点岗位”层级：请勾选重点岗位人员。"
        ),
    )
    title = forms.CharField(
        label=_("标题模板"),
        max_length=200,
        initial=_("{year}年度{name}党风廉政建设责任书"),
        help_text=_(
            "可使用 {name}（签订对象：单位或人员）、{unit}（单位名称）和 {year}（年度）占位符。"
        ),
    )
    body = forms.CharField(
        label=_("正文模板"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        initial=_(
            "为深入落实{year}年度全面从严治党主体责任，{unit}主要负责人对本单位党风廉政建设负总责……"
        ),
    )
    issued_on = forms.DateField(label=_("下发日期"), widget=_date_input())
    due_on = forms.DateField(label=_("应签订日期"), widget=_date_input())

    def __init__(self, *args, organisation, **kwargs):
        self.organisation = organisation
        kwargs.setdefault("initial", {}).setdefault("unit_kinds", self.DEFAULT_UNIT_KINDS)
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = organisation.units.filter(is_active=True).order_by("path")
        self.fields["people"].queryset = (
            User.objects.filter(organisation=organisation, is_active=True)
            .select_related("unit")
            .order_by("unit__path", "full_name")
        )
        self.fields["people"].label_from_instance = lambda person: " · ".join(
            part
            for part in (person.full_name, person.unit.name if person.unit_id else "", person.title)
            if part
        )
        self.fields["year"].error_messages["invalid"] = _("年度必须是数字。")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        if data.get("issued_on") and data.get("due_on") and data["due_on"] < data["issued_on"]:
            self.add_error("due_on", _("应签订日期不能早于下发日期。"))
        level = data.get("level")
        if level == DutyLetter.Level.GROUP_UNIT:
            if not data.get("units") and not data.get("unit_kinds"):
                self.add_error("unit_kinds", _("请选择下发到哪类单位，或勾选具体单位。"))
        elif level == DutyLetter.Level.HEAD_POST and not data.get("people"):
            self.add_error("people", _("请勾选签订“负责人—重点岗位”责任书的人员。"))
        return data

    def recipients(self):
        """(units, people) the letters go to; only one of them is used for a level."""
        data = self.cleaned_data
        if data["level"] in DutyLetter.PERSONAL_LEVELS:
            people = data.get("people")
            if not people:
                people = (
                    self.fields["people"]
                    .queryset.filter(
                        role_assignments__organisation=self.organisation,
                        role_assignments__role=Role.LEADER,
                    )
                    .distinct()
                )
            return [], list(people)
        units = data.get("units")
        if not units:
            units = self.fields["units"].queryset.filter(kind__in=data["unit_kinds"])
        return list(units), []


class DutyLetterWithdrawForm(GuidedFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("撤回原因"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("例如：下发对象有误，重新下发")}),
    )


class DutyLetterSignForm(GuidedFormMixin, forms.Form):
    signed_on = forms.DateField(label=_("签订日期"), widget=_date_input())
    signatory = forms.CharField(label=_("签订人"), max_length=60)
    scans = EvidenceFilesField(label=_("签订扫描件"), required=True)

    def __init__(self, *args, letter, **kwargs):
        self.letter = letter
        kwargs.setdefault("initial", {"signed_on": letter.signed_on, "signatory": letter.signatory})
        super().__init__(*args, **kwargs)
        # A letter already signed with its scan may be corrected without uploading it again.
        kept = letter.scans.filter(removed_at__isnull=True).exists()
        self.fields["scans"].required = not (letter.signed_on and kept)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_signed_on(self):
        day = self.cleaned_data["signed_on"]
        if day < self.letter.issued_on:
            raise forms.ValidationError(_("签订日期不能早于下发日期。"))
        if day > timezone.localdate():
            raise forms.ValidationError(_("签订日期不能晚于今天。"))
        return day


class ResponsibilityItemForm(GuidedFormMixin, ScopedChoicesMixin, forms.ModelForm):
    class Meta:
        model = ResponsibilityItem
        fields = [
            "area",
            "area_order",
            "order",
            "title",
            "lead_leader",
            "responsible_unit",
            "kind",
            "target_count",
            "frequency",
        ]

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_choices(scope)
        self.fields["target_count"].error_messages["invalid"] = _("目标次数必须是数字。")
        self.fields["target_count"].error_messages["min_value"] = _("目标次数不能小于 0。")
        self.fields["area_order"].error_messages["invalid"] = _("排序必须是数字。")
        self.fields["order"].error_messages["invalid"] = _("排序必须是数字。")
        self.helper = FormHelper()
        self.helper.form_tag = False


class ResponsibilityCopyForm(GuidedFormMixin, forms.Form):
    year = forms.IntegerField(
        label=_("复制到年度"),
        min_value=2001,
        max_value=2100,
        error_messages={"invalid": _("年度必须是数字。")},
    )


class RiskPointForm(GuidedFormMixin, ScopedChoicesMixin, forms.ModelForm):
    class Meta:
        model = RiskPoint
        fields = [
            "unit",
            "post",
            "description",
            "level",
            "measures",
            "owner",
            "review_on",
            "is_active",
        ]
        widgets = {
            "review_on": _date_input(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_choices(scope)
        self.fields["owner"].required = False
        if self.instance.pk is None:
            del self.fields["is_active"]  # a new point is in force
        else:
            self.fields["is_active"].help_text = _(
                "取消勾选即停用：该风险点不再列入台账，修改记录仍然保留。"
            )
        self.helper = FormHelper()
        self.helper.form_tag = False


class PeopleImportForm(GuidedFormMixin, forms.Form):
    """The workbook of units and people (accountability/people_import.py), and the
    organisation it is for where the person administers several."""

    organisation = forms.ModelChoiceField(label=_("党组织"), queryset=Organisation.objects.none())
    file = WorkbookField(label=_("单位和人员名单（Excel）"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        # One organisation (the usual case): nothing to choose.
        self.only = next(iter(organisations)) if len(organisations) == 1 else None
        if self.only is not None:
            del self.fields["organisation"]

    def clean(self):
        cleaned = super().clean()
        if self.only is not None:
            cleaned["organisation"] = self.only
        return cleaned
