"""The licence the city publishes its open data under, chosen by configuration
(ADUAN_OPEN_DATA_LICENSE, an SPDX identifier). The open licences the city is likely to
choose are known by name and address; any other needs its address given
(ADUAN_OPEN_DATA_LICENSE_URL), so that every download says where its terms are."""

from dataclasses import dataclass

KNOWN = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution Share Alike 4.0 International",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC0-1.0": (
        "Creative Commons Zero v1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "ODbL-1.0": (
        "Open Data Commons Open Database License v1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "ODC-By-1.0": (
        "Open Data Commons Attribution License v1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
}
DEFAULT = "CC-BY-4.0"


@dataclass(frozen=True)
class Licence:
    id: str
    name: str
    url: str

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "url": self.url}


def licence(spdx: str, url: str = "") -> Licence:
    """The licence of an SPDX identifier; ValueError for an unknown one without its url."""
    spdx = spdx.strip() or DEFAULT
    if spdx in KNOWN:
        name, known_url = KNOWN[spdx]
        return Licence(spdx, name, url or known_url)
    if not url.startswith(("https://", "http://")):
        raise ValueError(
            f"ADUAN_OPEN_DATA_LICENSE={spdx!r} is not one of {', '.join(KNOWN)}: "
            "give its terms' address in ADUAN_OPEN_DATA_LICENSE_URL"
        )
    return Licence(spdx, spdx, url)
