"""Forms that guide: every form of the portal mixes in ``GuidedFormMixin``.

Django's stock messages ("这个字段是必填项。", "确保该变量包含不超过 200 字符") and its empty
choice "---------" read like a machine talking; here each field's messages name the field in
natural Chinese, and an empty choice says what to do. A message a form sets itself (a form's own
``error_messages``) is kept.
"""

from django import forms
from django.contrib import messages
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

STOCK_EMPTY_LABEL = "---------"
CHOOSE = _("请选择…")
ALL = _("全部")


def _label(field, name):
    return str(field.label or name)


def _format(template, **values):
    return gettext(template) % values


# Built lazily so that the message follows the language active when it is shown.
_lazy = lazy(_format, str)


def _messages(field, name):
    """The natural messages for one field, keyed as Django keys its ``error_messages``."""
    label = _label(field, name)
    choice = isinstance(field, (forms.ChoiceField, forms.ModelChoiceField))
    messages = {
        "required": _lazy(gettext_noop("请选择%(label)s。"), label=label)
        if choice
        else _lazy(gettext_noop("请填写%(label)s。"), label=label),
        "invalid_choice": _lazy(
            gettext_noop("所选%(label)s不在可选范围内，请重新选择。"), label=label
        ),
        "invalid_list": _lazy(gettext_noop("请选择%(label)s。"), label=label),
        "invalid_pk_value": _lazy(
            gettext_noop("所选%(label)s不在可选范围内，请重新选择。"), label=label
        ),
        "max_value": _lazy(gettext_noop("%(label)s不能大于 %%(limit_value)s。"), label=label),
        "min_value": _lazy(gettext_noop("%(label)s不能小于 %%(limit_value)s。"), label=label),
    }
    if isinstance(field, forms.IntegerField):
        messages["invalid"] = _lazy(gettext_noop("%(label)s必须是整数。"), label=label)
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        messages["invalid"] = _lazy(gettext_noop("%(label)s必须是数字。"), label=label)
    elif isinstance(field, forms.DateField):
        messages["invalid"] = _lazy(
            gettext_noop("%(label)s请按“年-月-日”填写，如 2026-03-01。"), label=label
        )
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = _lazy(gettext_noop("请填写有效的电子邮箱地址。"))
    elif isinstance(field, forms.URLField):
        messages["invalid"] = _lazy(gettext_noop("请填写有效的网址。"))
    elif isinstance(field, forms.FileField):
        messages["empty"] = _lazy(gettext_noop("所选文件是空的，请检查后重新上传。"))
    return messages


# Messages Django's own fields do not carry (so ``guide_field`` adds them when they are missing):
# a slug's pattern, and the model's uniqueness, which a ModelForm takes from the form field's
# ``error_messages`` when it has the code (``%(field_label)s`` and ``%(model_name)s`` are the
# model's, filled in when the message is shown). A model field's own ``unique`` message would give
# way to UNIQUE: give such a message to the form's field instead.
SLUG_INVALID = gettext_noop(
    "%(label)s只能由英文字母、数字、下划线（_）或连字符（-）组成，如 sw、water-bureau。"
)
UNIQUE = _("已有%(field_label)s相同的%(model_name)s，请换一个%(field_label)s。")
UNIQUE_TOGETHER = gettext_noop("已有%(fields)s都相同的%(model_name)s，请修改后再保存。")
# Between two field names in UNIQUE_TOGETHER: 上级单位、单位名称.
FIELD_SEPARATOR = gettext_noop("、")
# Two rows of one formset (an inline of the admin site) that must differ and do not.
UNIQUE_ROWS = gettext_noop("有两行的%(fields)s都相同，请删去重复的一行。")
DUPLICATE_ROW = _("这一行与上面的一行重复。")


def _max_length_message(label):
    return _lazy(
        gettext_noop(
            "%(label)s最多 %%(limit_value)d 个字，现在是 %%(show_value)d 个字，请删减后再保存。"
        ),
        label=label,
    )


def _min_length_message(label):
    return _lazy(gettext_noop("%(label)s至少要 %%(limit_value)d 个字。"), label=label)


def _stock_messages(field):
    stock = {}
    for cls in reversed(type(field).__mro__):
        stock.update(getattr(cls, "default_error_messages", {}))
    return stock


def guide_field(field, name, *, empty_label=CHOOSE):
    """Give one form field natural messages and a meaningful empty choice. A message the form
    set itself (anything but Django's stock one) is kept."""
    stock = _stock_messages(field)
    own = _messages(field, name)
    for key, message in own.items():
        if key in field.error_messages and field.error_messages[key] is stock.get(key):
            field.error_messages[key] = message
    label = _label(field, name)
    replacements = {
        validators.MaxLengthValidator: lambda v: _max_length_message(label),
        validators.MinLengthValidator: lambda v: _min_length_message(label),
        validators.MaxValueValidator: lambda v: own["max_value"],
        validators.MinValueValidator: lambda v: own["min_value"],
    }
    guided = []
    for validator in field.validators:
        make = replacements.get(type(validator))
        if make is not None and validator.message is type(validator).message:
            validator = type(validator)(validator.limit_value, message=make(validator))
        guided.append(validator)
    field.validators = guided
    if isinstance(field, forms.SlugField):
        field.error_messages.setdefault("invalid", _lazy(SLUG_INVALID, label=label))
    field.error_messages.setdefault("unique", UNIQUE)
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == STOCK_EMPTY_LABEL:
            field.empty_label = empty_label
    elif isinstance(field, forms.ChoiceField):
        choices = list(field.choices)
        if any(value == "" and text == STOCK_EMPTY_LABEL for value, text in choices):
            field.choices = [
                (value, empty_label if value == "" and text == STOCK_EMPTY_LABEL else text)
                for value, text in choices
            ]


class GuidedFormMixin:
    """Natural messages and empty choices for every field; put it first among the bases.
    A filter form sets ``empty_label = ALL``."""

    empty_label = CHOOSE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.guide_fields()

    def guide_fields(self):
        """Also called again by a form that changes its fields after ``__init__``."""
        for name, field in self.fields.items():
            guide_field(field, name, empty_label=self.empty_label)

    def add_error(self, field, error):
        """A model form's check of several fields together (a unique constraint over them) says
        which fields in natural words instead of Django's "包含 … 的 … 已经存在"."""
        if isinstance(error, ValidationError):
            for found in _errors_of(error):
                if found.code == "unique_together" and found.params:
                    found.message = _unique_together_message(found.params)
        super().add_error(field, error)


def _errors_of(error):
    if hasattr(error, "error_dict"):
        for errors in error.error_dict.values():
            yield from errors
    else:
        yield from error.error_list


def _unique_together_message(params):
    opts = params["model_class"]._meta
    labels = [str(opts.get_field(name).verbose_name) for name in params["unique_check"]]
    fields = gettext(FIELD_SEPARATOR).join(labels)
    return gettext(UNIQUE_TOGETHER) % {"fields": fields, "model_name": "%(model_name)s"}


class GuidedFormSetMixin:
    """A model formset whose duplicate rows are named in natural words, not Django's "请修改
    organisation 和 role的重复数据" (which shows the fields' code names)."""

    def get_unique_error_message(self, unique_check):
        # An inline's rows share their parent (the person whose roles they are): not named.
        parent = getattr(getattr(self, "fk", None), "name", None)
        names = [name for name in unique_check if name != parent] or list(unique_check)
        fields, opts = self.form.base_fields, self.model._meta
        labels = [
            _label(fields[name], name) if name in fields else str(opts.get_field(name).verbose_name)
            for name in names
        ]
        return gettext(UNIQUE_ROWS) % {"fields": gettext(FIELD_SEPARATOR).join(labels)}

    def get_form_error(self):
        return DUPLICATE_ROW


def guided_form_class(form_class):
    """``form_class`` with GuidedFormMixin's messages (itself when it has them already)."""
    if issubclass(form_class, GuidedFormMixin):
        return form_class
    return type(form_class.__name__, (GuidedFormMixin, form_class), {"__module__": __name__})


class GuidedAdminMixin:
    """A model admin whose forms (its page's, its inlines', its list's editable rows) speak as
    the portal's own forms do; the portal's admin site gives it to every model admin it
    registers (accountability.admin_site)."""

    def get_form(self, request, obj=None, **kwargs):
        return guided_form_class(super().get_form(request, obj, **kwargs))

    def get_changelist_form(self, request, **kwargs):
        return guided_form_class(super().get_changelist_form(request, **kwargs))

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            formset.form = guided_form_class(formset.form)  # a class made for this request
            if not issubclass(formset, GuidedFormSetMixin):
                formset = type(formset.__name__, (GuidedFormSetMixin, formset), {})
            yield formset, inline


def guided_admin(admin_class):
    """``admin_class`` with GuidedAdminMixin (itself when it has it already)."""
    if issubclass(admin_class, GuidedAdminMixin):
        return admin_class
    attrs = {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__}
    return type(admin_class.__name__, (GuidedAdminMixin, admin_class), attrs)


class EvidenceRemoveForm(GuidedFormMixin, forms.Form):
    """Remove one evidence file, or replace it with ``file``. ``confirm`` is set by the button:
    a POST without it changes nothing."""

    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    file = None  # set in __init__: evidence fields come from common.evidence, which imports us

    def __init__(self, *args, **kwargs):
        from .evidence import EvidenceFilesField

        super().__init__(*args, **kwargs)
        self.fields["file"] = EvidenceFilesField(label=_("替换为"), required=False, max_files=1)
        self.guide_fields()

    def replacement(self):
        files = self.cleaned_data.get("file") or []
        return files[0] if files else None


def remove_or_replace(request, remove, *, name, unconfirmed):
    """What the 删除或替换 views share, after their own permission checks: the posted
    EvidenceRemoveForm, then ``remove(replacement)`` (the service; ``replacement`` an (upload,
    info) pair or None) once the form is valid and confirmed. A bad file, a missing
    confirmation (``unconfirmed`` is said) or the service's refusal becomes a message, and
    nothing changes; ``name`` is the file's name for the message that it was done."""
    form = EvidenceRemoveForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return
    if not form.cleaned_data["confirm"]:
        messages.info(request, unconfirmed)
        return
    replacement = form.replacement()
    try:
        remove(replacement)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        done = _("已替换“%(name)s”。") if replacement else _("已删除“%(name)s”，党办仍可找回。")
        messages.success(request, done % {"name": name})


class WorkbookField(forms.FileField):
    """An uploaded .xlsx to import: the same size bound as evidence (the work the file then
    causes is bounded by common.xlsx_guard, before openpyxl reads it)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("请使用下载的模板填写，仅支持 .xlsx 文件。"))
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        from django.conf import settings

        from .evidence import clean_display_name

        upload = super().clean(data, initial)
        limit = settings.EVIDENCE_MAX_BYTES
        if upload and upload.size > limit:
            raise ValidationError(
                _("“%(name)s”超过 %(limit)d MB 的大小上限。"),
                params={"name": clean_display_name(upload.name), "limit": limit // 1024 // 1024},
            )
        return upload
