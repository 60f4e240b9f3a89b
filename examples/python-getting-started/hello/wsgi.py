"""The WSGI application that gunicorn serves: `web: gunicorn hello.wsgi` in the Procfile."""
import os


def application(environ, start_response):
    body = ("Hello from Python on Slipway! (%s)\n" % os.environ.get("DYNO", "web.1")).encode()
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
