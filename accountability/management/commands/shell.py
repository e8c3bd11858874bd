"""Django's ``shell``, quiet about the history models it cannot import.

django-simple-history builds each ``Historical…`` model at run time and names the model's module
as its own. For the models kept in a package of modules (``accountability.models``,
``rectification.models``) that module does not hold it, and Django's shell listed 22 of them as
"could not be automatically imported" each time it started. Those are left out of the automatic
imports (each is ``Model.history.model``); the importable ones stay.
"""

from importlib import import_module

from django.core.management.commands import shell


class Command(shell.Command):
    def get_auto_imports(self):
        return [path for path in super().get_auto_imports() if _importable_or_not_history(path)]


def _importable_or_not_history(path):
    module, _dot, name = path.rpartition(".")
    if not name.startswith("Historical"):
        return True
    try:
        return hasattr(import_module(module), name)
    except ImportError:
        return False
