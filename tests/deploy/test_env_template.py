"""deploy/campaign.env.example lists every environment variable config/settings.py reads (parsed as
tests/shell/test_settings_documented.py does), and nothing else; each is in README's table too."""

import re
from pathlib import Path

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
