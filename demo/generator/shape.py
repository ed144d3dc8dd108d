"""The shape of the demo organisation: the figures of the Mechelen answer (2025).

Every target here is a figure the council report must find back in the demo
records (`../shared/seeds/000_*.txt`): the stock of (equivalent) leefloon
recipients in January 2025, the spread of how long they have been in income
support, article-60 workers per month, the caseload per social assistant, and
the partner programmes.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

D = datetime.date

CODE = "mechelen"
NAME = "OCMW Mechelen"
NIS_CODE = "12025"
SEED = 20250131
# The external ids of everything the demo makes start with this (see seed.is_demo_organisation).
DEMO_ID_PREFIX = "demo-"

HISTORY_START = D(2015, 1, 1)
REFERENCE_FIRST = D(2025, 1, 1)  # the reference month of the Mechelen answer
REFERENCE_LAST = D(2025, 1, 31)
EARLIEST_TODAY = D(2025, 2, 1)

# Inhabitants on 1 January (Statbel-like; 89,300 in 2025).
POPULATION = {
    2015: 84_950,
    2016: 85_640,
    2017: 86_150,
    2018: 86_600,
    2019: 86_920,
    2020: 87_330,
    2021: 87_520,
    2022: 87_900,
    2023: 88_480,
    2024: 88_950,
    2025: 89_300,
    2026: 89_640,
    2027: 89_950,
    2028: 90_240,
}

# Clients with a right overlapping January 2025.
LEEFLOON_IN_REFERENCE_MONTH = 1494
EQUIVALENT_IN_REFERENCE_MONTH = 379
# Leefloon recipients of January 2025 by how long their spell in income support had
# lasted on 31 January 2025 (32% / 20% / 25% / 23%), as (first start, last start).
DURATION_BUCKETS = {
    "up_to_1y": (478, D(2024, 1, 31), D(2025, 1, 31)),
    "1y_to_2y": (299, D(2023, 1, 31), D(2024, 1, 30)),
    "2y_to_4y": (374, D(2021, 1, 31), D(2023, 1, 30)),
    "over_4y": (343, HISTORY_START, D(2021, 1, 30)),
}
# How long a spell in income support lasts: the share still running after t years
# (piecewise linear). Fitted so that a steady inflow gives the buckets above; it ends
# with many short spells and a long tail (health problems, studies, top-up on low wages).
SPELL_SURVIVAL = (
    (0.0, 1.0),
    (0.25, 0.70),
    (1.0, 0.42),
    (2.0, 0.37),
    (4.0, 0.124),
    (7.0, 0.083),
    (10.5, 0.0),
)
MIN_SPELL_DAYS = 14
# A right that starts within this many days after the previous one continues the spell.
SPELL_GAP_DAYS = 30

# Social assistants: 40 in 5 teams; FTEs mostly 1.0 (36.4 FTE), 70-75 clients per FTE.
TEAMS = (
    "Team Centrum",
    "Team Nekkerspoel",
    "Team Hombeek-Leest",
    "Team Muizen-Heffen",
    "Team Walem-Battel",
)
FTES = (Decimal("1.0"),) * 28 + (Decimal("0.8"),) * 8 + (Decimal("0.5"),) * 4
# Social assistants who left; each replaced the day after by a newcomer.
DEPARTURES = (D(2017, 6, 30), D(2019, 12, 31), D(2021, 8, 31), D(2023, 3, 31))
# Clients stay assigned this long after their last income right or placement ended.
FOLLOW_UP_DAYS = 200
CLIENTS_PER_FTE = 72.5

# Article 60: clients employed per month (about 157 on average in 2024, 195 by mid
# 2025), as (month, target) points, linear in between.
ARTICLE60_TARGET = (
    (D(2015, 1, 1), 20),
    (D(2016, 1, 1), 110),
    (D(2017, 1, 1), 130),
    (D(2019, 12, 1), 145),
    (D(2020, 6, 1), 122),
    (D(2021, 6, 1), 140),
    (D(2023, 12, 1), 155),
    (D(2024, 1, 1), 157),
    (D(2024, 12, 1), 157),
    (D(2025, 6, 1), 195),
    (D(2030, 1, 1), 205),
)
FLOW_THROUGH = 0.65  # placements ending in a year: to work or work-linked training
EARLY_END_SHARE = 0.15

# Partner programmes (codes of partners.Programme.DEFAULTS).
JOBROAD_SINCE = 2021
JOBROAD_SESSION_MONTHS = (3, 6, 9, 12)
JOBROAD_CAPACITY = 35
JOBROAD_FUNDING = Decimal("37500")
DUO_SINCE = 2019
DUO_PER_YEAR = 50
DUO_FUNDING = Decimal("70000")
DUO_DAYS = 182
WIJKWERKEN_SINCE = 2018
WIJKWERKEN_PER_YEAR = 45
SOCIAL_ECONOMY_SINCE = 2016
SOCIAL_ECONOMY_PER_YEAR = 25
