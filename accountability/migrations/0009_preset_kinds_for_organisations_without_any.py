"""Organisations created through the admin before it gave them the standard work-record kinds
have none: their offices could not enter a record, and every report preset's figure that names a
kind failed ("所引用的工作记实类别不存在或已删除"). They get the presets now; an organisation that
has any kind keeps exactly the kinds it has."""

from django.db import migrations

# WorkRecordKind.PRESETS as it stands at this migration (a migration keeps its own copy).
PRESETS = [
    ("theory_study", "理论中心组学习"),
    ("party_lecture", "党课"),
    ("party_group_meeting", "党组会议专题研究"),
    ("integrity_talk", "廉政谈话"),
    ("admonition_talk", "约谈提醒"),
    ("heart_talk", "谈心谈话"),
    ("integrity_analysis", "廉情分析会"),
    ("warning_education", "警示教育"),
    ("supervision", "督查检查"),
    ("rule_issued", "制度出台"),
    ("democratic_life", "民主生活会"),
]


# The body's own meetings are named after the body, as WorkRecordKind.ensure_presets names them.
BODIES = {
    "party_group": "党组",
    "party_committee": "党委",
    "general_branch": "党总支",
    "working_committee": "工委",
}


def preset_kinds(apps, schema_editor):
    Organisation = apps.get_model("accountability", "Organisation")
    WorkRecordKind = apps.get_model("accountability", "WorkRecordKind")
    without = Organisation.objects.filter(record_kinds__isnull=True)
    WorkRecordKind.objects.bulk_create(
        WorkRecordKind(
            organisation=org,
            code=code,
            name=f"{BODIES.get(org.body_type, '党组')}会议专题研究"
            if code == "party_group_meeting"
            else name,
            order=index,
        )
        for org in without
        for index, (code, name) in enumerate(PRESETS, start=1)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0008_organisation_supervisor"),
    ]

    operations = [
        migrations.RunPython(preset_kinds, migrations.RunPython.noop),
    ]
