"""Web-server access rules: bcrypt .htpasswd, .htaccess and an nginx location per package."""

import bcrypt
import pytest

from analysis.delivery import hosting, packages

SERVER = hosting.WebServer("/srv/www/kommuner", "/rapporter")


def test_htpasswd_is_bcrypt_for_the_folder_user():
    line = hosting.htpasswd_line("259-koege", "hest5kaffe3sol")

    user, hashed = line.rstrip("\n").split(":", 1)
    assert user == "259-koege" and hashed.startswith("$2y$10$")
    # $2y$ and $2b$ are the same hash; the bcrypt library checks the $2b$ spelling
    assert bcrypt.checkpw(b"hest5kaffe3sol", hashed.replace("$2y$", "$2b$", 1).encode())
    assert not bcrypt.checkpw(b"hest5kaffe3so", hashed.replace("$2y$", "$2b$", 1).encode())


def test_apache_and_nginx_rules_name_the_folder_and_its_user_file():
    apache = hosting.htaccess(SERVER, "259-koege")
    nginx = hosting.nginx_location(SERVER, "259-koege")

    assert 'AuthUserFile "/srv/www/kommuner/259-koege/.htpasswd"' in apache
    assert "Require user 259-koege" in apache and "AuthType Basic" in apache
    assert "Require all denied" in apache           # the rule files are never served
    assert "location /rapporter/259-koege/ {" in nginx
    assert "auth_basic_user_file /srv/www/kommuner/259-koege/.htpasswd;" in nginx
    assert "deny all;" in nginx


def test_relative_server_folder_is_refused():
    with pytest.raises(ValueError, match="absolute path"):
        hosting.WebServer("www/kommuner")


def test_sealing_with_a_server_adds_the_rules_beside_the_package(tmp_path):
    folder = tmp_path / "staged-xyz"
    folder.mkdir()
    (folder / "rapport.html").write_text("<title>T</title><p>svar</p>", encoding="utf-8")

    written = packages.Sealing("hest5kaffe3sol", SERVER).apply(folder, "259-koege", "Køge")

    assert sorted(written) == [".htaccess", ".htpasswd", "nginx.conf", "rapport.html"]
    assert "/259-koege/" in (folder / "nginx.conf").read_text()   # the final name, not staged
    assert (folder / ".htpasswd").read_text().startswith("259-koege:$2y$")
