import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their modules) lives as long as the process: keep
# it out of the cyclic garbage collector's full passes, which otherwise walk all of it again
# every few requests (a fifth of a page's CPU time in bench/bench_page_cpu.py). Objects made by
# requests are collected as before.
gc.freeze()
