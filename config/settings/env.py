"""One place that reads the environment.

environs fails at start-up with the variable's name when a value is malformed
(``Environment variable "DEBUG" invalid: ['Not a valid boolean.']``), which is
what an operator needs to see instead of a stack trace from deep in Django.
"""

from pathlib import Path

from environs import Env

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = Env(expand_vars=True)
env.read_env(BASE_DIR / ".env", recurse=False)
