"""Hot reload (`serve --watch`): watch the contracts, the rules file and the recorded examples, and
serve each saved edit without a restart, open connections and streams untouched.

Owns: `files` (which paths are watched, with watchfiles), `reload` (build the new version off the
event loop, compare, swap it in with `MockApp.adopt`, or keep the old one and report the error).

Sits above the composition root (it builds apps with `app.create_app`); may not import the server
or the CLI, which start it.
"""

from .files import watch_and_reload
from .reload import reload

__all__ = ["reload", "watch_and_reload"]
