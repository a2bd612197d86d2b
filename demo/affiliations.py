"""004's affiliation bodies in the demo: their short names as 004 writes them, and each provincial
unit's body (demo.unit_tree.party_affiliations), set through units.actions.set_party_affiliation.

Idempotent like the rest of the loader: a short name or an affiliation already set (by an earlier
run, or changed through the product since) is left alone.
"""

from demo import unit_tree
from units.actions import set_party_affiliation
from units.models import Unit

REASON = "演示数据：按党组织隶属关系（浙整改办发〔2015〕2号）"


def load_party_affiliations(unit_by_code, result):
    for code, _name, short_name in unit_tree.ZHEJIANG_AFFILIATION_BODIES:
        Unit.objects.filter(pk=unit_by_code[code].pk, short_name="").update(short_name=short_name)
    by_body = {}
    for unit_code, body_code in unit_tree.party_affiliations().items():
        by_body.setdefault(body_code, []).append(unit_by_code[unit_code].pk)
    for body_code, unit_ids in by_body.items():
        body = Unit.objects.get(pk=unit_by_code[body_code].pk)
        units = Unit.objects.filter(pk__in=unit_ids, party_affiliation__isnull=True)
        result.created["party affiliations"] = result.created.get("party affiliations", 0) + set_party_affiliation(
            units, body, actor=None, reason=REASON
        )
