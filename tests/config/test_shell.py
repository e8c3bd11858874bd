"""``manage.py shell`` starts without a list of models it could not import."""

import io

from django.core.management import call_command


def test_the_shell_imports_the_models_and_names_no_failures(capsys):
    out = io.StringIO()
    call_command("shell", command="print(WorkRecord.__name__)", verbosity=1, stdout=out)
    printed = out.getvalue() + "".join(capsys.readouterr())
    assert "could not be automatically imported" not in printed
    assert "WorkRecord" in printed
