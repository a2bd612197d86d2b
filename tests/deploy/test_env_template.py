"""deploy/campaign.env.example lists every environment variable config/settings.py reads (parsed as
tests/shell/test_settings_documented.py does), and nothing else; each is in README's table too. Rendered,
its TLS and plain-HTTP variants give the `check --deploy` the README promises for each."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def settings_variables():
    text = (ROOT / "config" / "settings.py").read_text()
    return set(re.findall(r'(?:os\.environ\.get|os\.environ\[|env_bool|env_list)\(?\s*"([A-Z][A-Z0-9_]+)"', text))


def test_the_env_template_lists_every_setting_and_the_readme_documents_them():
    template = (ROOT / "deploy" / "campaign.env.example").read_text()
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", template, re.M))
    names = settings_variables()
    assert len(names) > 30
    assert sorted(names - listed) == [], "missing from deploy/campaign.env.example"
    assert sorted(listed - names) == [], "in deploy/campaign.env.example but not read by settings.py"
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration"):readme.index("### PostgreSQL and Redis")]
    assert sorted(listed - set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))) == []


def rendered_environment(folder):
    """The active NAME=value lines of a rendered campaign.env, as systemd reads them."""
    env = {}
    for line in (folder / "campaign.env").read_text().splitlines():
        match = re.match(r"^([A-Z][A-Z0-9_]+)=(.*)$", line)
        if match:
            env[match.group(1)] = match.group(2).strip('"')
    return env


def test_the_rendered_environments_pair_with_their_site(tmp_path):
    """TLS: `check --deploy` has nothing to say. Plain HTTP: exactly the three warnings the README
    explains (no redirect to HTTPS, cookies not Secure), as in tests/access/test_deploy_check.py."""
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL"}
    base = {key: value for key, value in os.environ.items() if key not in dropped}
    found = {}
    for mode in ("tls", "http"):
        call_command("render_deploy", out=str(tmp_path / mode), mode=mode, var_dir=str(tmp_path / "var"),
                     stdout=io.StringIO())
        env = rendered_environment(tmp_path / mode)
        assert env["DEBUG"] == "0" and env["SECRET_KEY"] == ""  # each machine makes its own
        env.update(SECRET_KEY="k3%Zp9!vQ2#rT8@wL5^yN1&bX7*cM4(dF6)gH0_jS" * 2,
                   DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", REDIS_URL="")
        result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env={**base, **env},
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        found[mode] = set(re.findall(r"\((security\.W\d+)\)", result.stdout + result.stderr))
    assert found == {"tls": set(), "http": {"security.W008", "security.W012", "security.W016"}}
