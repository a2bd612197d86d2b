"""Every environment variable settings.py reads is in the README's configuration table."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_variable_is_documented():
    settings_text = (ROOT / "config" / "settings.py").read_text()
    names = set(re.findall(r'(?:os\.environ\.get|os\.environ\[|env_bool|env_list)\(?\s*"([A-Z][A-Z0-9_]+)"', settings_text))
    assert len(names) > 30
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration"):readme.index("### PostgreSQL and Redis")]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    assert sorted(names - documented) == []
