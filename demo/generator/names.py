"""Names and national numbers for the demo: Flemish and Mechelen-like, never real people."""

from __future__ import annotations

import datetime
import random


def words(text: str, separator: str | None = None) -> list[str]:
    return text.split(separator)


FLEMISH_FIRST_NAMES = {
    "f": words(
        "An Anke Annelies Astrid Bieke Charlotte Chloé Dorien Els Elke Emma Evelien Eline "
        "Fien Femke Griet Hanne Ilse Inge Ine Jana Jolien Julie Kaat Karolien Katrien Kim "
        "Lien Liesbeth Lies Lotte Louise Marie Marijke Mieke Nele Nina Noor Sara Sofie Tine "
        "Tinne Veerle Wendy Yana Zoë Lore Axelle Hilde Greet Leen Ellen Margot Roos Jitske"
    ),
    "m": words(
        "Arne Bart Bram Dries Dirk Emiel Frederik Geert Glenn Hans Jan Jari Jens Jef Jonas "
        "Joris Kobe Koen Kristof Lars Lennert Lieven Luc Maarten Matthias Mathias Michiel "
        "Nick Niels Pieter Rik Robbe Ruben Seppe Senne Stijn Stef Sven Thomas Tom Toon Vic "
        "Warre Wim Wout Yannick Yorben Filip Gert Kevin Jelle Wannes Tijs Lowie"
    ),
}
FLEMISH_LAST_NAMES = words(
    "Peeters Janssens Maes Jacobs Mertens Willems Claes Goossens Wouters De Smet Dubois "
    "Hermans Aerts Michiels Lambrechts Van den Broeck Verhoeven Van Dyck Cools Smets "
    "Van Damme Vermeulen Bogaerts Hendrickx Dierckx Vos Segers Coppens Stevens Wuyts "
    "Nijs Thys Geerts Verstraeten Van de Velde Devos Lemmens Martens Van Looy Huysmans "
    "Baeten Verbruggen Luyten Bosmans Van Hoof Schepers Leysen Vandenberghe Sels Meeus "
    "Vangeel Van Gorp Moens Heylen Pauwels Verlinden De Cock Bauwens Mariën Kenis Smolders "
    "Sterckx Van Rompaey Ceulemans Wijns Verbeeck Vervoort Van Aken Laenen Van Camp"
)
# Two-word surnames above were split; glue the particles back on.
_PARTICLES = {"De", "Van", "den", "de", "der"}


def _glue(words: list[str]) -> list[str]:
    names: list[str] = []
    pending: list[str] = []
    for word in words:
        pending.append(word)
        if word not in _PARTICLES:
            names.append(" ".join(pending))
            pending = []
    return names


FLEMISH_LAST_NAMES = _glue(FLEMISH_LAST_NAMES)

MIGRATION_FIRST_NAMES = {
    "f": words(
        "Fatima Khadija Amina Nadia Samira Yasmina Salma Imane Hanan Meryem Zeynep Elif "
        "Ayşe Esra Hiba Rania Nour Sana Aya Malika Saida Warda Mariam Feven Selam Helen "
        "Awa Grace Divine Olena Iryna Ana Elena Diana Shirin Parisa Leila Zahra Asma Safae"
    ),
    "m": words(
        "Mohamed Ahmed Youssef Karim Said Hamza Bilal Omar Ayoub Mehdi Soufiane Anas Ilias "
        "Mustafa Emre Burak Mehmet Yusuf Hasan Abdullah Ali Hussein Khaled Tesfay Dawit "
        "Yonas Samuel Jean Patrick Christian Andrii Oleksandr Ion Mihai Bogdan Reza Ahmad "
        "Farid Nabil Rachid Tarik Amine"
    ),
}
MIGRATION_LAST_NAMES = words(
    "El Amrani|Benali|Bouzid|El Idrissi|Azzouzi|Chakir|El Khattabi|Boukhari|Ouali|Haddouchi|"
    "Amrani|Ziani|El Moussaoui|Tahiri|Bakkali|Yilmaz|Kaya|Demir|Şahin|Çelik|Öztürk|Aydın|"
    "Arslan|Doğan|Al Hassan|Haddad|Khalil|Mansour|Nasser|Darwish|Tesfaye|Gebremedhin|"
    "Haile|Mekonnen|Kabila|Mbuyi|Tshibangu|Kalonji|Nkemba|Popescu|Ionescu|Kowalski|Nowak|"
    "Shevchenko|Kovalenko|Hosseini|Ahmadi|Rahimi|Karimi|Safi|Sharifi|Diallo|Bah|Sow",
    "|",
)

EMPLOYERS = {
    "own_service": [
        "Groendienst Stad Mechelen",
        "Woonzorgcentrum Hof van Egmont",
        "Sociaal Restaurant",
        "Kringwinkel Sociaal Huis",
        "Poetsdienst Sociaal Huis",
        "Dienstencentrum Vlietzorg",
    ],
    "public": [
        "Stad Mechelen - Netheid",
        "AZ Sint-Maarten",
        "Stadsarchief Mechelen",
        "Bibliotheek Het Predikheren",
        "Sportdienst Mechelen",
    ],
    "non_profit": [
        "vzw De Kringwinkel Mechelen",
        "vzw Mobilant",
        "vzw Den Azalee",
        "vzw Oxfam Wereldwinkel",
        "vzw De Wroeter",
        "Kinderdagverblijf De Boomhut vzw",
    ],
    "private": [
        "Bakkerij Van Roy",
        "Garage Verbeeck",
        "Lunet Logistics",
        "Hotel Vé",
        "Supermarkt Mechelen-Noord",
        "Schoonmaakbedrijf Nettoyage Dyle",
        "Drukkerij Verhaert",
        "Tuinaanleg Wouters",
    ],
}


def person_name(rng: random.Random, gender: str, migration: bool) -> tuple[str, str]:
    """A first and last name fitting the gender and background (x picks either list)."""
    first_gender = gender if gender in ("m", "f") else rng.choice("mf")
    flemish = not migration or rng.random() < 0.1
    firsts = (FLEMISH_FIRST_NAMES if flemish else MIGRATION_FIRST_NAMES)[first_gender]
    lasts = FLEMISH_LAST_NAMES if flemish else MIGRATION_LAST_NAMES
    return rng.choice(firsts), rng.choice(lasts)


class NationalNumbers:
    """Valid, unique national numbers: serials per birth date (odd men, even women).

    `bis=True` gives a bis number (Crossroads Bank): the month plus 40 when the
    gender is known, plus 20 when it is not.
    """

    def __init__(self) -> None:
        self._used: dict[str, set[int]] = {}

    def make(self, birth: datetime.date, gender: str, *, bis: bool = False) -> str:
        month = birth.month + ((40 if gender in ("m", "f") else 20) if bis else 0)
        prefix = f"{birth.year % 100:02d}{month:02d}{birth.day:02d}"
        used = self._used.setdefault(prefix, set())
        serial, step = {"m": (1, 2), "f": (2, 2)}.get(gender, (1, 1))
        while serial in used:
            serial += step
        if serial > 997:
            raise ValueError(f"No serials left for {prefix}")
        used.add(serial)
        base = f"{prefix}{serial:03d}"
        number = int(base) + (2_000_000_000 if birth.year >= 2000 else 0)
        return f"{base}{97 - number % 97:02d}"
