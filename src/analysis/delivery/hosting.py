"""Web-server access rules for teams that host the municipal packages on their own server.

Each package folder gets an Apache ``.htaccess`` with a ``.htpasswd`` (bcrypt) beside it, and
an nginx ``location`` block (``nginx.conf``) to include in the server's configuration. The
user name is the folder's name (``259-koege``), the password the municipality's passphrase.
The pages stay encrypted behind the server, so a downloaded copy is as closed as a mailed one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

BCRYPT_ROUNDS = 10    # cost 10: about 0.05 s per login check; the server checks every request
REALM = "Kommunerapport"
HTPASSWD = ".htpasswd"
HTACCESS = ".htaccess"
NGINX = "nginx.conf"
RULE_FILES = (HTACCESS, HTPASSWD, NGINX)


@dataclass(frozen=True)
class WebServer:
    """Where the copied ``kommuner/`` folder will live on the server.

    ``directory`` is its absolute path on the server (for ``AuthUserFile`` and nginx's
    ``auth_basic_user_file``), ``url`` the URL path it is served under.
    """

    directory: str
    url: str = "/kommuner"

    def __post_init__(self):
        if not PurePosixPath(self.directory).is_absolute():
            raise ValueError(f"--webserver {self.directory}: an absolute path on the web "
                             f"server is expected, e.g. /srv/www/kommuner")
        if not self.url.startswith("/"):
            raise ValueError(f"--webserver-url {self.url}: a URL path starting with / is "
                             f"expected, e.g. /kommuner")


def htpasswd_line(user: str, password: str) -> str:
    """``user:$2y$...``: bcrypt in the ``$2y$`` spelling Apache's htpasswd writes (the same
    hash as ``$2b$``; nginx accepts both)."""
    import bcrypt

    hashed = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=BCRYPT_ROUNDS))
    return f"{user}:{hashed.decode('ascii').replace('$2b$', '$2y$', 1)}\n"


def htaccess(server: WebServer, folder: str) -> str:
    user_file = PurePosixPath(server.directory) / folder / HTPASSWD
    return (f'AuthType Basic\nAuthName "{REALM} {folder}"\nAuthBasicProvider file\n'
            f'AuthUserFile "{user_file}"\nRequire user {folder}\n'
            f'<FilesMatch "^(\\.ht|{NGINX.replace(".", chr(92) + ".")}$)">\n'
            f"    Require all denied\n</FilesMatch>\n"
            f"Options -Indexes\n")


def nginx_location(server: WebServer, folder: str) -> str:
    url = f"{server.url.rstrip('/')}/{folder}/"
    user_file = PurePosixPath(server.directory) / folder / HTPASSWD
    return (f"# include in the server {{ }} block that serves {server.url}\n"
            f"location {url} {{\n"
            f'    auth_basic "{REALM} {folder}";\n'
            f"    auth_basic_user_file {user_file};\n"
            f"    autoindex off;\n"
            f"    location ~ /(\\.ht|{NGINX.replace('.', chr(92) + '.')}$) {{ deny all; }}\n"
            f"}}\n")


def write_rules(folder_path: Path, name: str, server: WebServer, password: str) -> None:
    """Write the three rule files into ``folder_path``, the package that will be served as
    ``name`` (its folder name under ``kommuner/``)."""
    folder_path = Path(folder_path)
    (folder_path / HTACCESS).write_text(htaccess(server, name), encoding="utf-8")
    (folder_path / HTPASSWD).write_text(htpasswd_line(name, password), encoding="utf-8")
    (folder_path / NGINX).write_text(nginx_location(server, name), encoding="utf-8")
