"""``python -m datocms_app``: the commands that need no Django project yet (``startproject``)."""

from datocms_app.startproject import main

if __name__ == "__main__":
    raise SystemExit(main())
