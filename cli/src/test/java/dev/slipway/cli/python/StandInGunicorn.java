package dev.slipway.cli.python;

/**
 * A wheel named {@code gunicorn} for tests, so that an app written for Heroku ({@code web: gunicorn
 * hello.wsgi}) runs unchanged with no PyPI: its {@code gunicorn} console script serves the WSGI
 * application {@code module[:name]} (default name {@code application}) on {@code $PORT} with the
 * standard library's wsgiref, and ignores gunicorn's options.
 */
public final class StandInGunicorn {
    public static final String VERSION = "23.0.0";

    private StandInGunicorn() {
    }

    public static Wheel wheel() {
        return Wheel.of("gunicorn", VERSION)
                .file("gunicorn/__init__.py", "")
                .file("gunicorn/app/__init__.py", "")
                .file("gunicorn/app/wsgiapp.py", """
                        import importlib
                        import os
                        import sys
                        from wsgiref.simple_server import make_server


                        def run():
                            target = [arg for arg in sys.argv[1:] if not arg.startswith("-")][0]
                            module, _, name = target.partition(":")
                            sys.path.insert(0, os.getcwd())
                            application = getattr(importlib.import_module(module), name or "application")
                            port = int(os.environ.get("PORT", "8000"))
                            server = make_server("0.0.0.0", port, application)
                            print("Listening at: http://0.0.0.0:%d (stand-in gunicorn)" % port, flush=True)
                            server.serve_forever()
                        """)
                .script("gunicorn", "gunicorn.app.wsgiapp:run");
    }
}
