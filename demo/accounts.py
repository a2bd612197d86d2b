"""Demo accounts: one for each role, printed by `load_demo` (and so by `make run`).

Supervision group membership is in demo.groups; the accounts below
that are not listed there are office staff or liaisons of the unit given by code.
Members of the other supervision groups get accounts without a usable password.
"""

from dataclasses import dataclass

DEMO_PASSWORD = "Demo-2014-zj!"


@dataclass(frozen=True)
class AccountSpec:
    username: str
    label: str  # role label shown in the printed logins
    display_name: str
    unit_code: str | None = None
    role: str | None = None  # UnitMembership.Role value
    superuser: bool = False


DEMO_ACCOUNTS = [
    AccountSpec("admin", "系统管理员", "系统管理员", superuser=True),
    AccountSpec("zj_office", "省委教育实践活动办公室工作人员（浙江省）", "省活动办", "330000", "office"),
    AccountSpec("hz_office", "市委教育实践活动办公室工作人员（杭州市）", "杭州市活动办", "330100", "office"),
    # 004: staff of an affiliation body review their part of the provincial units' look-back reports.
    AccountSpec("szjg_office", "省直机关工委工作人员", "省直机关工委工作人员", "330000-JG", "office"),
    AccountSpec("sup_leader", "督导组组长（省委第一督导组）", "省委第一督导组组长"),
    AccountSpec("sup_member", "督导组成员（省委第一督导组）", "省委第一督导组成员"),
    AccountSpec("liaison_fgw", "第一批单位联络员（省发展改革委）", "省发展改革委联络员", "330000-05", "liaison"),
    AccountSpec("liaison_beishan", "乡镇街道联络员（杭州市西湖区北山街道）", "北山街道联络员", "330106001", "liaison"),
    AccountSpec("liaison_yucun", "村社区联络员（湖州市安吉县天荒坪镇余村）", "余村联络员", "330523001001", "liaison"),
]
