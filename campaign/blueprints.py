"""What a new campaign starts with (its blueprint): the batches and phases of a shipped shape,
or of an earlier campaign, with the batches' dates given relative to the campaign's start.

Shipped shapes (DESIGN: batches and phases are rows, not code):

- 党的群众路线教育实践活动 (2013–2014): two batches, the second at least three months per unit
  (003), and the phases of 003, then the summary (000) and the look-back (004);
- a theme education in one go (主题教育, as 2019 and 2023 ran it): no batches, and the phases
  学习教育 / 调查研究 / 检视整改 / 总结.

The demo province (demo.campaign_data) is built from the first.
"""

from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class BatchSpec:
    ordinal: int
    name: str
    min_months: int = 3
    # How long after the campaign's start the batch's first and last day fall, in years, months
    # and days (so that a batch ending on 30 September ends on 30 September again); None: not set.
    starts_after: relativedelta | None = None
    ends_after: relativedelta | None = None

    def dates(self, starts_on):
        """The batch's (starts_on, ends_on) for a campaign starting on `starts_on`."""
        shift = lambda after: None if after is None else starts_on + after  # noqa: E731
        return shift(self.starts_after), shift(self.ends_after)


@dataclass(frozen=True)
class PhaseSpec:
    ordinal: int
    code: str
    name: str


@dataclass(frozen=True)
class Blueprint:
    key: str
    label: str
    batches: tuple = ()
    phases: tuple = ()


MASS_LINE = Blueprint(
    key="mass_line",
    label=_("党的群众路线教育实践活动（分两批）"),
    batches=(BatchSpec(1, "第一批", 3), BatchSpec(2, "第二批", 3)),
    phases=(
        PhaseSpec(1, "study", "学习教育、听取意见"),
        PhaseSpec(2, "examination", "查摆问题、开展批评"),
        PhaseSpec(3, "rectification", "整改落实、建章立制"),
        PhaseSpec(4, "summary", "总结"),
        PhaseSpec(5, "lookback", "回头看"),
    ),
)

THEME_EDUCATION = Blueprint(
    key="theme_education",
    label=_("主题教育（不分批次）"),
    phases=(
        PhaseSpec(1, "study", "学习教育"),
        PhaseSpec(2, "research", "调查研究"),
        PhaseSpec(3, "rectification", "检视整改"),
        PhaseSpec(4, "summary", "总结"),
    ),
)

BLANK = Blueprint(key="blank", label=_("空白（不设批次和环节）"))

SHIPPED = {blueprint.key: blueprint for blueprint in (MASS_LINE, THEME_EDUCATION, BLANK)}


def from_campaign(campaign):
    """The blueprint of an earlier campaign: its batches (names, ordinals, min_months, dates as
    years, months and days from its start) and its phases (ordinal, code, name)."""
    offset = lambda day: None if day is None else relativedelta(day, campaign.starts_on)  # noqa: E731
    return Blueprint(
        key=f"campaign:{campaign.pk}",
        label=str(campaign),
        batches=tuple(
            BatchSpec(b.ordinal, b.name, b.min_months, offset(b.starts_on), offset(b.ends_on))
            for b in campaign.batches.order_by("ordinal")
        ),
        phases=tuple(PhaseSpec(p.ordinal, p.code, p.name) for p in campaign.phases.order_by("ordinal")),
    )
