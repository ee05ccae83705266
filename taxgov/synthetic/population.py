"""The deterministic synthetic population: people, businesses and estates by index.

Every object comes from its own random generator seeded with ``"<seed>/<kind>/<index>"``
(a string seed is hashed with SHA-512, so it is the same in every process whatever
PYTHONHASHSEED is), and never from shared state: person 123 is the same whichever people
were generated before it. Identifiers are not drawn at random but derived from the index
through keyed bijections, so no two indexes ever share an SSN, ITIN, EIN or licence number.

Roles are laid out in blocks so an object never depends on how many others are generated:
business ``j`` is owned by one of people ``12j..12j+11``, estate ``k`` has its decedent and
executor among people ``200k..200k+199``, and one person in each block of 25 is an ITIN
holder. Names come from Faker's en_US data (census and SSA frequencies), sampled from
weighted pools built once.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
import math
import random
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from taxgov.synthetic.people import (
    BUSINESS_PROFILES,
    ESTATE_PROFILES,
    TAX_PROFILES,
    Address,
    Business,
    DriverLicence,
    Estate,
    Person,
    Phone,
)
from taxgov.synthetic.personas import PINNED_BUSINESSES, PINNED_ESTATES, PINNED_PEOPLE

T = TypeVar("T")

DEFAULT_SEED = 2026
DEMO_PEOPLE = 500  # the people every deployable loads as demo data (the personas are the first)
AS_OF = dt.date(2026, 1, 1)  # the day the population describes: ages, licence expiry, phone tenure
HOME_STATE = "MA"  # the state agency's state

PEOPLE_PER_BUSINESS = 12
PEOPLE_PER_ESTATE = 200
PEOPLE_PER_ITIN = 25  # one ITIN holder in each block of 25 people: 4%

# Never-issued identifier spaces (see people.py). SSN: area 900-999, group 01-49, serial
# 0001-9999. ITIN: area 900-999, group 70-88, serial 0000, which leaves only 1,900 numbers:
# the people after the first 1,900 ITIN blocks (47,500 people) hold SSNs only.
SSN_CAPACITY = 100 * 49 * 9999
ITIN_CAPACITY = 100 * 19
EIN_CAPACITY = 9_999_999  # 00-0000001 to 00-9999999; businesses take even slots, estates odd
PHONE_LINES = 100  # 555-0100 to 555-0199


# --- Places --------------------------------------------------------------------------------

# Massachusetts cities and towns with some of their ZIP codes, weighted by population (thousands).
MA_PLACES: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("Boston", ("02108", "02109", "02110", "02111", "02113", "02114", "02115", "02116", "02118", "02119", "02120",
                "02121", "02122", "02124", "02125", "02126", "02127", "02128", "02129", "02130", "02131", "02132",
                "02134", "02135", "02136"), 675),
    ("Worcester", ("01602", "01603", "01604", "01605", "01606", "01607", "01608", "01609", "01610"), 206),
    ("Springfield", ("01103", "01104", "01105", "01107", "01108", "01109", "01118", "01119", "01128", "01129"), 155),
    ("Cambridge", ("02138", "02139", "02140", "02141", "02142"), 118),
    ("Lowell", ("01850", "01851", "01852", "01854"), 115),
    ("Brockton", ("02301", "02302"), 105),
    ("Quincy", ("02169", "02170", "02171"), 101),
    ("Lynn", ("01901", "01902", "01904", "01905"), 101),
    ("New Bedford", ("02740", "02744", "02745", "02746"), 101),
    ("Fall River", ("02720", "02721", "02723", "02724"), 94),
    ("Lawrence", ("01840", "01841", "01843"), 89),
    ("Newton", ("02458", "02459", "02460", "02461", "02462", "02464", "02465", "02466", "02467", "02468"), 88),
    ("Somerville", ("02143", "02144", "02145"), 81),
    ("Framingham", ("01701", "01702"), 72),
    ("Haverhill", ("01830", "01832", "01835"), 67),
    ("Malden", ("02148",), 66),
    ("Waltham", ("02451", "02452", "02453"), 65),
    ("Brookline", ("02445", "02446"), 63),
    ("Revere", ("02151",), 62),
    ("Plymouth", ("02360",), 61),
    ("Medford", ("02155",), 59),
    ("Taunton", ("02780",), 59),
    ("Weymouth", ("02188", "02189", "02190", "02191"), 57),
    ("Chicopee", ("01013", "01020"), 55),
    ("Peabody", ("01960",), 54),
    ("Methuen", ("01844",), 53),
    ("Barnstable", ("02630",), 49),
    ("Everett", ("02149",), 49),
    ("Attleboro", ("02703",), 46),
    ("Arlington", ("02474", "02476"), 46),
    ("Salem", ("01970",), 44),
    ("Pittsfield", ("01201",), 43),
    ("Leominster", ("01453",), 43),
    ("Billerica", ("01821",), 42),
    ("Beverly", ("01915",), 42),
    ("Fitchburg", ("01420",), 41),
    ("Marlborough", ("01752",), 41),
    ("Woburn", ("01801",), 40),
    ("Chelsea", ("02150",), 40),
    ("Westfield", ("01085",), 40),
    ("Amherst", ("01002",), 39),
    ("Braintree", ("02184",), 39),
    ("Holyoke", ("01040",), 38),
    ("Shrewsbury", ("01545",), 38),
    ("Natick", ("01760",), 37),
    ("Andover", ("01810",), 36),
    ("Chelmsford", ("01824",), 36),
    ("Lexington", ("02420", "02421"), 34),
    ("Franklin", ("02038",), 33),
    ("Falmouth", ("02540",), 33),
    ("Needham", ("02492", "02494"), 32),
    ("Dracut", ("01826",), 32),
    ("Gloucester", ("01930",), 30),
    ("Northampton", ("01060",), 29),
    ("Wellesley", ("02481", "02482"), 29),
    ("Milton", ("02186",), 28),
    ("Dedham", ("02026",), 25),
    ("Greenfield", ("01301",), 17),
    ("Nantucket", ("02554",), 14),
    ("North Adams", ("01247",), 13),
)  # fmt: skip

# Elsewhere in the US: where people in Massachusetts come from and move to, weighted.
OTHER_PLACES: dict[str, tuple[int, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    "NH": (14, (("Manchester", ("03101", "03102", "03103", "03104")), ("Nashua", ("03060", "03062", "03063")),
                ("Concord", ("03301",)), ("Portsmouth", ("03801",)), ("Salem", ("03079",)))),
    "NY": (14, (("New York", ("10001", "10003", "10011", "10016", "10024", "10025", "10027", "10128")),
                ("Brooklyn", ("11201", "11211", "11215", "11238")), ("Albany", ("12203", "12206", "12208")),
                ("Rochester", ("14604", "14607", "14620")), ("Buffalo", ("14201", "14209", "14214")))),
    "RI": (10, (("Providence", ("02903", "02904", "02906", "02908", "02909")), ("Warwick", ("02886", "02888")),
                ("Cranston", ("02910", "02920", "02921")), ("Pawtucket", ("02860", "02861")), ("Newport", ("02840",)))),
    "CT": (10, (("Hartford", ("06103", "06105", "06106", "06114")), ("New Haven", ("06510", "06511", "06513")),
                ("Stamford", ("06901", "06902", "06905")), ("Bridgeport", ("06604", "06605", "06606")))),
    "FL": (10, (("Miami", ("33125", "33130", "33131", "33133")), ("Orlando", ("32801", "32803", "32806")),
                ("Tampa", ("33602", "33606", "33609")), ("Sarasota", ("34231", "34236")))),
    "CA": (8, (("Los Angeles", ("90012", "90026", "90034", "90064")), ("San Francisco", ("94110", "94114", "94117")),
               ("San Diego", ("92101", "92103", "92104")), ("Sacramento", ("95814", "95816", "95818")))),
    "ME": (5, (("Portland", ("04101", "04102", "04103")), ("Bangor", ("04401",)), ("Lewiston", ("04240",)))),
    "TX": (5, (("Austin", ("78701", "78702", "78704", "78745")), ("Houston", ("77002", "77006", "77008", "77019")),
               ("Dallas", ("75201", "75204", "75206", "75214")))),
    "NJ": (4, (("Jersey City", ("07302", "07304", "07306")), ("Newark", ("07102", "07104")),
               ("Princeton", ("08540",)))),
    "PA": (4, (("Philadelphia", ("19103", "19104", "19106", "19147")), ("Pittsburgh", ("15206", "15213", "15217")))),
    "VT": (3, (("Burlington", ("05401", "05408")), ("Montpelier", ("05602",)))),
    "IL": (3, (("Chicago", ("60605", "60607", "60614", "60618", "60622", "60657")),)),
    "NC": (3, (("Raleigh", ("27601", "27603", "27605", "27608")), ("Charlotte", ("28202", "28203", "28205")))),
    "GA": (2, (("Atlanta", ("30303", "30306", "30308", "30309")),)),
    "WA": (2, (("Seattle", ("98101", "98103", "98105", "98115", "98122")),)),
    "VA": (2, (("Arlington", ("22201", "22203", "22204")), ("Richmond", ("23219", "23220", "23225")))),
    "MD": (2, (("Baltimore", ("21201", "21211", "21218", "21224")), ("Bethesda", ("20814", "20816")))),
    "OH": (2, (("Columbus", ("43201", "43206", "43215")), ("Cleveland", ("44102", "44113")))),
    "AZ": (2, (("Phoenix", ("85004", "85006", "85016", "85018")),)),
    "CO": (2, (("Denver", ("80202", "80203", "80205", "80206", "80218")),)),
    "DC": (1, (("Washington", ("20001", "20002", "20003", "20009", "20010")),)),
}  # fmt: skip

STREET_NAMES = (
    "Main", "Elm", "Washington", "Maple", "Pleasant", "High", "Park", "School", "Summer", "Chestnut", "Oak",
    "Pine", "Center", "Water", "Union", "Church", "Prospect", "Highland", "Spring", "Winter", "Cedar", "Walnut",
    "Franklin", "Lincoln", "Adams", "Central", "Forest", "Hillside", "Pearl", "Cottage", "Mill", "Bridge",
)  # fmt: skip
STREET_SUFFIXES = {"Street": 40, "Road": 15, "Avenue": 14, "Drive": 8, "Lane": 7, "Court": 4, "Place": 4, "Way": 4,
                   "Terrace": 2, "Circle": 2}  # fmt: skip

# --- Identity documents and phones -----------------------------------------------------------

# Licence number formats: "#" a digit, "@" a letter, anything else itself.
LICENCE_FORMATS = {
    "MA": "S########", "NH": "##@@@#####", "NY": "#########", "RI": "#######", "CT": "#########",
    "FL": "@############", "CA": "@#######", "ME": "#######", "TX": "########", "NJ": "@##############",
    "PA": "########", "VT": "########", "IL": "@###########", "NC": "############", "GA": "#########",
    "WA": "WDL#########", "VA": "@########", "MD": "@############", "OH": "@@######", "AZ": "@########",
    "CO": "#########", "DC": "#######",
}  # fmt: skip
LICENCE_YEARS = {"MA": 5, "NH": 5, "RI": 5, "CT": 6, "NY": 8, "ME": 6, "VT": 4, "FL": 8, "CA": 5, "TX": 8}
DEFAULT_LICENCE_YEARS = 8
EYE_COLOURS = {"BRO": 45, "BLU": 27, "HAZ": 10, "GRN": 9, "BLK": 4, "GRY": 3, "MAR": 1, "DIC": 0.5, "UNK": 0.5}
MOBILE_CARRIERS = {"Verizon Wireless": 36, "AT&T Mobility": 33, "T-Mobile": 27, "US Cellular": 2, "Mint Mobile": 2}
LANDLINE_CARRIERS = {"Comcast": 50, "Verizon": 30, "Astound": 10, "Charter": 10}
EMAIL_DOMAINS = {"example.com": 60, "example.net": 20, "example.org": 20}

# --- Businesses --------------------------------------------------------------------------------

ENTITY_TYPES = {"llc": 40, "sole_proprietor": 30, "corporation": 20, "partnership": 10}
TRADES = (
    "Bakery", "Landscaping", "Plumbing", "Electric", "Auto Repair", "Consulting", "Cleaning Services", "Catering",
    "Construction", "Hardware", "Florist", "Dental", "Design", "Marketing", "Accounting", "Fitness", "Pet Care",
    "Painting", "Roofing", "Coffee", "Seafood", "Printing", "Tailoring", "Photography", "Tutoring", "Software",
    "Brewing", "Farm", "Realty", "Insurance Agency", "Moving", "Heating and Cooling", "Salon", "Bookkeeping",
)  # fmt: skip
PLACE_WORDS = (
    "Harbor", "Pioneer", "Summit", "Granite", "Beacon", "Bay State", "Cape", "Commonwealth", "Minuteman", "Pilgrim",
    "Liberty", "Riverside", "North Shore", "South Shore", "Berkshire", "Pioneer Valley", "Seaport", "Old Colony",
)  # fmt: skip


# --- Sampling ------------------------------------------------------------------------------------


class Rng(random.Random):
    """``randint`` and ``pick`` (for ``choice``) from one ``random()`` call each: a few times
    faster than the bit-exact originals, and as reproducible."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.random() * len(seq))]


@dataclass(frozen=True)
class Pool:
    """Values with cumulative weights: one ``random()`` and a bisection per draw."""

    values: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, weights: Mapping[str, float]) -> Pool:
        total = 0.0
        cumulative = []
        for weight in weights.values():
            total += weight
            cumulative.append(total)
        return cls(tuple(weights), tuple(c / total for c in cumulative))

    def draw(self, rng: Rng) -> str:
        return self.values[min(bisect.bisect(self.cumulative, rng.random()), len(self.values) - 1)]


@dataclass(frozen=True)
class Pools:
    first_names: dict[str, Pool]  # by sex
    last_names: Pool
    generational_suffixes: Pool
    ma_places: Pool  # city names
    other_states: Pool
    street_suffixes: Pool
    tax_profiles: Pool
    business_profiles: Pool
    estate_profiles: Pool
    entity_types: Pool
    eye_colours: Pool
    mobile_carriers: Pool
    landline_carriers: Pool
    email_domains: Pool


@cache
def pools() -> Pools:
    """Built on first use, from Faker's provider data (no Faker instance, no per-person calls)."""
    from faker.providers.person.en_US import Provider as Names

    female, male = Names.first_names_female, Names.first_names_male
    # Faker's suffixes include degrees (MD, PhD); a legal name carries only generational ones.
    suffixes = {s: w for s, w in Names.suffixes_male.items() if s in {"Jr.", "II", "III", "IV", "V"}}
    return Pools(
        first_names={"F": Pool.of(female), "M": Pool.of(male), "X": Pool.of({**male, **female})},
        last_names=Pool.of(Names.last_names),
        generational_suffixes=Pool.of(suffixes),
        ma_places=Pool.of({city: weight for city, _zips, weight in MA_PLACES}),
        other_states=Pool.of({state: weight for state, (weight, _cities) in OTHER_PLACES.items()}),
        street_suffixes=Pool.of(STREET_SUFFIXES),
        tax_profiles=Pool.of(TAX_PROFILES),
        business_profiles=Pool.of(BUSINESS_PROFILES),
        estate_profiles=Pool.of(ESTATE_PROFILES),
        entity_types=Pool.of(ENTITY_TYPES),
        eye_colours=Pool.of(EYE_COLOURS),
        mobile_carriers=Pool.of(MOBILE_CARRIERS),
        landline_carriers=Pool.of(LANDLINE_CARRIERS),
        email_domains=Pool.of(EMAIL_DOMAINS),
    )


_MA_ZIPS = {city: zips for city, zips, _weight in MA_PLACES}
_PERSONA_PHONE_SLOTS = 2 * (max(PINNED_PEOPLE) + 1)
_PINNED_ITIN_OFFSETS = {
    index // PEOPLE_PER_ITIN: index % PEOPLE_PER_ITIN for index, pin in PINNED_PEOPLE.items() if pin.tin_type == "itin"
}
_MASK64 = (1 << 64) - 1
_NOT_A_LETTER = re.compile("[^a-z]")


def _mix(*parts: object) -> int:
    """A stable 64-bit hash of the parts (``hash()`` differs between processes)."""
    text = "\x1f".join(str(part) for part in parts).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def _scramble(value: int) -> int:
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9 & _MASK64
    value = (value ^ (value >> 27)) * 0x94D049BB133111EB & _MASK64
    return value ^ (value >> 31)


class Permutation:
    """A keyed bijection of ``range(size)``: identifiers derived through it never collide.

    A four-round Feistel network over the smallest square that covers the range; values that
    land outside the range are encrypted again (cycle-walking) until they fall inside it.
    """

    def __init__(self, size: int, *key: object) -> None:
        self.size = size
        self._side = math.isqrt(size - 1) + 1
        self._keys = tuple(_mix(*key, round_) for round_ in range(4))

    def __call__(self, value: int) -> int:
        if not 0 <= value < self.size:
            raise ValueError(f"{value} is outside 0..{self.size - 1}")
        side = self._side
        while True:
            left, right = divmod(value, side)
            for key in self._keys:
                left, right = right, (left + _scramble(right ^ key)) % side
            value = left * side + right
            if value < self.size:
                return value


# --- Dates ---------------------------------------------------------------------------------------


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def _between(rng: Rng, first: dt.date, last: dt.date) -> dt.date:
    return dt.date.fromordinal(rng.randint(first.toordinal(), max(first, last).toordinal()))


def _distinct_days(rng: Rng, first: dt.date, last: dt.date, count: int) -> list[dt.date]:
    """``count`` different days from ``first`` to ``last``, in order."""
    ordinals = rng.sample(range(first.toordinal(), last.toordinal() + 1), count)
    return [dt.date.fromordinal(ordinal) for ordinal in sorted(ordinals)]


def _age(rng: Rng) -> int:
    """Adults 18-90 in roughly the shape of the US adult population."""
    band = rng.random()
    if band < 0.20:
        return rng.randint(18, 29)
    if band < 0.46:
        return rng.randint(30, 44)
    if band < 0.79:
        return rng.randint(45, 64)
    if band < 0.95:
        return rng.randint(65, 79)
    return rng.randint(80, 90)


class Population:
    """People, businesses and estates by index; the same seed gives the same population everywhere."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self.seed = seed
        self._ssn = Permutation(SSN_CAPACITY, seed, "ssn")
        self._itin = Permutation(ITIN_CAPACITY, seed, "itin")
        self._ein = Permutation(EIN_CAPACITY, seed, "ein")
        self._npas = _npas()
        self._phone = Permutation(len(self._npas) * PHONE_LINES, seed, "phone")
        self._role_keys = {purpose: _mix(seed, purpose) for purpose in ("itin-holder", "decedent", "executor", "owner")}
        self._licences = {
            state: Permutation(_format_capacity(pattern), seed, "licence", state)
            for state, pattern in LICENCE_FORMATS.items()
        }

    def _rng(self, kind: str, index: int) -> Rng:
        return Rng(f"{self.seed}/{kind}/{index}")

    def _draw(self, purpose: str, number: int) -> int:
        """A cheap keyed hash of ``number``, for the role layout (which person of a block)."""
        return _scramble(number ^ self._role_keys[purpose])

    # --- Counts ----------------------------------------------------------------------------------

    def businesses_for(self, people_count: int) -> int:
        """How many businesses have their owner among the first ``people_count`` people (about 1 in 12)."""
        complete = max(people_count, 0) // PEOPLE_PER_BUSINESS
        return complete + (self._business_owner(complete) < people_count)

    def estates_for(self, people_count: int) -> int:
        """How many estates have decedent and executor among the first ``people_count`` people (about 1 in 200)."""
        complete = max(people_count, 0) // PEOPLE_PER_ESTATE
        return complete + (max(self._estate_people(complete)) < people_count)

    def people(self, start: int, stop: int) -> Iterator[Person]:
        for index in range(start, stop):
            yield self.person(index)

    # --- Identifiers -----------------------------------------------------------------------------

    def tin(self, index: int) -> tuple[str, str]:
        """Person ``index``'s taxpayer identification number and its type ("ssn" or "itin")."""
        if not 0 <= index < SSN_CAPACITY:
            raise ValueError(f"a population holds people 0..{SSN_CAPACITY - 1}, not {index}")
        block, offset = divmod(index, PEOPLE_PER_ITIN)
        if block < ITIN_CAPACITY and offset == self._itin_offset(block):
            area, group = divmod(self._itin(block), 19)
            return f"{900 + area}{70 + group}0000", "itin"
        area, rest = divmod(self._ssn(index), 49 * 9999)
        group, serial = divmod(rest, 9999)
        return f"{900 + area}{group + 1:02d}{serial + 1:04d}", "ssn"

    def _itin_offset(self, block: int) -> int:
        pinned = _PINNED_ITIN_OFFSETS.get(block)
        if pinned is not None:
            return pinned
        return self._draw("itin-holder", block) % PEOPLE_PER_ITIN

    def _ein_for(self, slot: int) -> str:
        return f"00{self._ein(slot) + 1:07d}"

    def _phone_number(self, slot: int) -> str:
        """Slot ``2i + k`` is person i's phone k. The fictional block has room for 33,400 people;
        after them numbers are reissued (as carriers recycle them), never the personas' numbers."""
        size = self._phone.size
        if slot >= size:
            slot = _PERSONA_PHONE_SLOTS + (slot - size) % (size - _PERSONA_PHONE_SLOTS)
        npa, line = divmod(self._phone(slot), PHONE_LINES)
        return f"+1{self._npas[npa]}5550{100 + line}"

    def _licence_number(self, state: str, index: int) -> str:
        permutation = self._licences[state]
        value = permutation(index % permutation.size)
        symbols = []
        for symbol in reversed(LICENCE_FORMATS[state]):
            if symbol == "#":
                value, digit = divmod(value, 10)
                symbols.append(str(digit))
            elif symbol == "@":
                value, letter = divmod(value, 26)
                symbols.append(chr(ord("A") + letter))
            else:
                symbols.append(symbol)
        return "".join(reversed(symbols))

    # --- Roles -----------------------------------------------------------------------------------

    def _estate_people(self, estate: int) -> tuple[int, int]:
        """(decedent, executor) of estate ``estate``: two people of its block of 200."""
        pinned = PINNED_ESTATES.get(estate)
        if pinned is not None:
            return pinned.decedent_index, pinned.executor_index
        first = estate * PEOPLE_PER_ESTATE
        decedent = self._draw("decedent", estate) % PEOPLE_PER_ESTATE
        executor = (decedent + 1 + self._draw("executor", estate) % (PEOPLE_PER_ESTATE - 1)) % PEOPLE_PER_ESTATE
        return first + decedent, first + executor

    def _is_decedent(self, index: int) -> bool:
        return self._estate_people(index // PEOPLE_PER_ESTATE)[0] == index

    def _date_of_death(self, decedent: int) -> dt.date:
        """From its own generator, so the estate can ask without generating the person."""
        rng = self._rng("death", decedent)
        last = AS_OF - dt.timedelta(days=45)  # time to take out an EIN for the estate
        pin = PINNED_PEOPLE.get(decedent)
        if pin and pin.died_in:
            return _between(rng, dt.date(pin.died_in, 1, 1), min(last, dt.date(pin.died_in, 12, 31)))
        return _between(rng, _years_after(AS_OF, -2), last)

    def _business_owner(self, business: int) -> int:
        pinned = PINNED_BUSINESSES.get(business)
        if pinned is not None:
            return pinned.owner_index
        first = business * PEOPLE_PER_BUSINESS
        offset = self._draw("owner", business) % PEOPLE_PER_BUSINESS
        while self._is_decedent(first + offset):  # the dead own no new businesses
            offset = (offset + 1) % PEOPLE_PER_BUSINESS
        return first + offset

    # --- People ----------------------------------------------------------------------------------

    def person(self, index: int) -> Person:
        rng = self._rng("person", index)
        p = pools()
        pin = PINNED_PEOPLE.get(index)
        tin, tin_type = self.tin(index)
        decedent_index, executor_index = self._estate_people(index // PEOPLE_PER_ESTATE)
        decedent = index == decedent_index

        sex = pin.sex if pin else ("F" if rng.random() < 0.495 else "M" if rng.random() < 0.99 else "X")
        first_name = pin.first_name if pin else p.first_names[sex].draw(rng)
        middle_name = p.first_names[sex].draw(rng) if rng.random() < 0.7 else ""
        if middle_name == first_name:
            middle_name = ""
        last_name = pin.last_name if pin else p.last_names.draw(rng)
        if index == executor_index and not pin and rng.random() < 0.6:  # executors are mostly family
            last_name = self.person(decedent_index).last_name
        suffix = p.generational_suffixes.draw(rng) if sex == "M" and not pin and rng.random() < 0.025 else ""

        age = int(rng.triangular(55, 91, 85)) if decedent else _age(rng)
        date_of_birth = _between(rng, _years_after(AS_OF, -age - 1) + dt.timedelta(days=1), _years_after(AS_OF, -age))
        tax_profile = pin.tax_profile if pin else p.tax_profiles.draw(rng)
        in_home_state = pin is not None or tax_profile == "new_to_state" or rng.random() < 0.85
        date_of_death = self._date_of_death(index) if decedent else None
        as_of = date_of_death or AS_OF  # a decedent's records stop at death
        addresses = self._addresses(rng, date_of_birth, tax_profile, in_home_state, as_of)
        verifiable = pin is not None and pin.verifiable
        return Person(
            index=index,
            tin=tin,
            tin_type=tin_type,
            first_name=first_name,
            middle_name=middle_name,
            last_name=last_name,
            suffix=suffix,
            date_of_birth=date_of_birth,
            addresses=addresses,
            phones=self._phones(rng, index, date_of_birth, verifiable, as_of),
            email=_email(rng, first_name, last_name, index),
            driver_licence=self._driver_licence(rng, index, sex, date_of_birth, addresses, verifiable, as_of),
            date_of_death=date_of_death,
            tax_profile=tax_profile,
        )

    def _addresses(
        self, rng: Rng, date_of_birth: dt.date, tax_profile: str, in_home_state: bool, as_of: dt.date
    ) -> tuple[Address, ...]:
        """Oldest first, each ending the day before the next begins; the last is current."""
        first = min(_years_after(date_of_birth, 18), _years_after(as_of, -2))
        latest = as_of - dt.timedelta(days=30)
        earlier = rng.choices((0, 1, 2, 3), cum_weights=(30, 65, 87, 100))[0]
        current_state = HOME_STATE if in_home_state else pools().other_states.draw(rng)
        if tax_profile == "new_to_state":  # moved in last year, from another state
            earlier = max(earlier, 1)
            starts = _distinct_days(rng, first, _years_after(as_of, -1) - dt.timedelta(days=1), earlier)
            starts.append(_between(rng, _years_after(as_of, -1), latest))
            states = [self._earlier_state(rng, current_state) for _ in range(earlier - 1)]
            states += [pools().other_states.draw(rng), current_state]
        else:
            starts = _distinct_days(rng, first, latest, earlier + 1)
            states = [self._earlier_state(rng, current_state) for _ in range(earlier)] + [current_state]
        ends: list[dt.date | None] = [start - dt.timedelta(days=1) for start in starts[1:]]
        ends.append(None)
        return tuple(_address(rng, state, start, end) for state, start, end in zip(states, starts, ends, strict=True))

    def _earlier_state(self, rng: Rng, current_state: str) -> str:
        stay = 0.75 if current_state == HOME_STATE else 0.6
        if rng.random() < stay:
            return current_state
        return HOME_STATE if current_state != HOME_STATE and rng.random() < 0.5 else pools().other_states.draw(rng)

    def _phones(
        self, rng: Rng, index: int, date_of_birth: dt.date, verifiable: bool, as_of: dt.date
    ) -> tuple[Phone, ...]:
        p = pools()
        count = 1 if rng.random() < 0.6 else 2
        first_owned = max(_years_after(date_of_birth, 16), _years_after(as_of, -20))
        phones = []
        for k in range(count):
            if k == 0:
                kind = "mobile" if verifiable or rng.random() < 0.95 else "home"
            else:
                kind = ("home", "work", "mobile")[rng.choices((0, 1, 2), cum_weights=(45, 80, 100))[0]]
            if kind == "mobile":
                in_own_name = verifiable or rng.random() < 0.947  # the rest are on someone else's plan
                carrier = p.mobile_carriers.draw(rng)
            else:
                in_own_name = kind == "home" and rng.random() < 0.85  # work phones are the employer's
                carrier = p.landline_carriers.draw(rng)
            if not verifiable and rng.random() < 0.03:  # a new number: a risk signal for verification
                owned_since = _between(rng, as_of - dt.timedelta(days=30), as_of - dt.timedelta(days=1))
            else:
                owned_since = _between(rng, first_owned, as_of - dt.timedelta(days=31))
            phones.append(
                Phone(
                    number=self._phone_number(2 * index + k),
                    kind=kind,
                    owned_since=owned_since,
                    carrier=carrier,
                    in_own_name=in_own_name,
                )
            )
        return tuple(phones)

    def _driver_licence(
        self,
        rng: Rng,
        index: int,
        sex: str,
        date_of_birth: dt.date,
        addresses: Sequence[Address],
        verifiable: bool,
        as_of: dt.date,
    ) -> DriverLicence | None:
        """About 88% hold a licence or state ID from their current state, issued after they moved there."""
        if not verifiable and rng.random() >= 0.88:
            return None
        age = as_of.year - date_of_birth.year
        state_id = not verifiable and rng.random() < (0.35 if age >= 80 else 0.07)
        current = addresses[-1]
        earliest = _years_after(date_of_birth, 16)
        for earlier, later in itertools.pairwise(addresses):
            if earlier.state != later.state:  # a licence from the state they moved to
                earliest = max(earliest, later.valid_from)
        years = LICENCE_YEARS.get(current.state, DEFAULT_LICENCE_YEARS)
        expired_window = (max(earliest, _years_after(as_of, -years - 3)), _years_after(as_of, -years - 1))
        if not verifiable and rng.random() < 0.07 and expired_window[0] <= expired_window[1]:
            issued_on = _between(rng, *expired_window)  # not renewed
        else:
            issued_on = _between(rng, max(earliest, _years_after(as_of, -years + 1)), as_of - dt.timedelta(days=1))
        expires_on = _years_after(date_of_birth, issued_on.year + years - date_of_birth.year)  # on a birthday
        mean_height = {"F": 162.0, "M": 176.0}.get(sex, 169.0)
        return DriverLicence(
            state=current.state,
            number=self._licence_number(current.state, index),
            document_type="state_id" if state_id else "driver_licence",
            issued_on=issued_on,
            expires_on=expires_on,
            document_discriminator=_document_discriminator(rng, current.state, issued_on),
            sex=sex,
            height_cm=min(205, max(140, round(rng.gauss(mean_height, 7.5)))),
            eye_colour=pools().eye_colours.draw(rng),
        )

    # --- Businesses and estates --------------------------------------------------------------------

    def business(self, index: int) -> Business:
        rng = self._rng("business", index)
        p = pools()
        pin = PINNED_BUSINESSES.get(index)
        owner = self.person(self._business_owner(index))
        entity_type = pin.entity_type if pin else p.entity_types.draw(rng)
        last = AS_OF - dt.timedelta(days=60)
        formed_on = _between(rng, min(max(_years_after(owner.date_of_birth, 21), _years_after(AS_OF, -40)), last), last)
        home = owner.current_address
        if entity_type == "sole_proprietor" and rng.random() < 0.6:  # run from home
            since = max(formed_on, home.valid_from)
            address = Address(home.line1, home.city, home.state, home.postal_code, since, line2=home.line2)
        else:
            state = HOME_STATE if rng.random() < 0.9 else p.other_states.draw(rng)
            address = _address(rng, state, formed_on, None, unit="Suite")
        return Business(
            index=index,
            ein=self._ein_for(2 * index),
            name=pin.name if pin else _business_name(rng, entity_type, owner),
            entity_type=entity_type,
            formed_on=formed_on,
            address=address,
            owner_index=owner.index,
            employees=_employees(rng, entity_type),
            tax_profile=pin.tax_profile if pin else p.business_profiles.draw(rng),
        )

    def estate(self, index: int) -> Estate:
        rng = self._rng("estate", index)
        decedent_index, executor_index = self._estate_people(index)
        decedent = self.person(decedent_index)
        executor = self.person(executor_index)
        died = self._date_of_death(decedent_index)
        formed_on = _between(rng, died + dt.timedelta(days=14), min(died + dt.timedelta(days=120), AS_OF))
        home = executor.current_address
        return Estate(
            index=index,
            ein=self._ein_for(2 * index + 1),
            name=f"Estate of {decedent.first_name} {decedent.last_name}",
            decedent_index=decedent_index,
            executor_index=executor_index,
            formed_on=formed_on,
            address=Address(home.line1, home.city, home.state, home.postal_code, formed_on, line2=home.line2),
            tax_profile=pools().estate_profiles.draw(rng),
        )


# --- Helpers -----------------------------------------------------------------------------------


@cache
def _npas() -> tuple[str, ...]:
    """Area codes of the geographic form (NXX) that are not special: not N11, N00, 37X, 96X,
    the easily recognised codes (toll-free 8YY, 5YY, 456, 555, 710, 900)."""
    special = {"456", "555", "710", "900"}
    return tuple(
        npa
        for npa in (f"{n}{x}{y}" for n in range(2, 10) for x in range(9) for y in range(10))
        if npa[1:] not in {"11", "00"}
        and npa[:2] not in {"37", "96"}
        and not (npa[0] in "58" and npa[1] == npa[2])
        and npa not in special
    )


def _format_capacity(pattern: str) -> int:
    return int(10 ** pattern.count("#") * 26 ** pattern.count("@"))


def _address(rng: Rng, state: str, start: dt.date, end: dt.date | None, unit: str = "") -> Address:
    p = pools()
    if state == HOME_STATE:
        city = p.ma_places.draw(rng)
        zips = _MA_ZIPS[city]
    else:
        city, zips = rng.pick(OTHER_PLACES[state][1])
    street = rng.pick(STREET_NAMES) if rng.random() < 0.5 else p.last_names.draw(rng)
    band = rng.random()
    number = rng.randint(1, 99) if band < 0.35 else rng.randint(100, 999) if band < 0.9 else rng.randint(1000, 9999)
    line2 = ""
    if unit:
        line2 = f"{unit} {rng.randint(1, 9)}{rng.randint(0, 9)}0" if rng.random() < 0.3 else ""
    elif rng.random() < 0.25:
        line2 = rng.pick(("Apt", "Unit", "#")) + f" {rng.randint(1, 40)}{rng.pick(('', '', 'A', 'B'))}"
        line2 = line2.replace("# ", "#")
    return Address(
        line1=f"{number} {street} {p.street_suffixes.draw(rng)}",
        city=city,
        state=state,
        postal_code=rng.pick(zips),
        valid_from=start,
        valid_to=end,
        line2=line2,
    )


def _email(rng: Rng, first_name: str, last_name: str, index: int) -> str:
    local = ".".join(_NOT_A_LETTER.sub("", name.lower()) for name in (first_name, last_name))
    return f"{local}+{index}@{pools().email_domains.draw(rng)}"


def _document_discriminator(rng: Rng, state: str, issued_on: dt.date) -> str:
    """The card's audit number: issue date, state, a serial and a check letter."""
    return f"{issued_on:%m%d%Y}{state}{rng.randint(0, 999_999):06d}{rng.pick('ABCDEFGHJKLMNPRSTUVWXYZ')}"


def _business_name(rng: Rng, entity_type: str, owner: Person) -> str:
    trade = rng.pick(TRADES)
    if entity_type == "sole_proprietor":
        return f"{owner.first_name} {owner.last_name} {trade}" if rng.random() < 0.5 else f"{owner.last_name}'s {trade}"
    style = rng.random()
    if style < 0.35:
        base = f"{owner.last_name} {trade}"
    elif style < 0.45:
        base = f"{owner.last_name} Family {trade}"
    elif style < 0.8:
        base = f"{rng.pick(PLACE_WORDS)} {trade}"
    else:
        base = f"{owner.last_name} & {pools().last_names.draw(rng)} {trade}"
    if entity_type == "llc":
        return f"{base} LLC"
    if entity_type == "corporation":
        return f"{base}{rng.pick((' Inc.', ' Corp.', ' Co.'))}"
    return f"{base}{rng.pick((' Partners', ' LLP'))}"


def _employees(rng: Rng, entity_type: str) -> int:
    if entity_type == "sole_proprietor":
        return rng.choices((0, 1, 2), cum_weights=(70, 90, 100))[0]
    mu, sigma, cap = {"llc": (1.2, 1.0, 200), "corporation": (2.5, 1.2, 5000), "partnership": (1.5, 0.8, 100)}[
        entity_type
    ]
    return min(cap, int(rng.lognormvariate(mu, sigma)))
