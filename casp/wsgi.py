import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casp.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402

if settings.REQUIRE_BROKER:
    from casp.runtime import require_broker

    require_broker(settings.REDIS_URL)

from casp.runtime import startup_objects_freeze  # noqa: E402

startup_objects_freeze()  # the application is loaded: full collections no longer walk it
