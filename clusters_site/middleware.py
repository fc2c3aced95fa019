from directory.views.health import healthz


class HealthCheckMiddleware:
    """Answers /healthz before any other middleware.

    Load balancers and container probes reach the app by IP address, a Host that
    ALLOWED_HOSTS rightly refuses, and over plain HTTP: the probe must not depend on either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)
