"""A small warehouse inventory: records as tuples holding str, stock held in dicts and Counters, locations in sets.

Orders are text lines "sku qty" and the catalogue is "sku:name:price" entries; the functions do what a stock tool
does with them: price an order, restock, find what is short, move stock between sites.
"""
from collections import Counter, defaultdict

from kiln import compile

CATALOGUE = "A1:bolt:0.25 A2:nut:0.1 B7:washer:0.05 C3:hinge:2.5 D9:bracket:4.75"
ORDER = "A1 10 A2 10 C3 2 A1 5"


def parse_catalogue(spec: str) -> dict[str, tuple[str, float]]:
    items: dict[str, tuple[str, float]] = {}
    for entry in spec.split():
        sku, name, price = entry.split(":")
        items[sku] = (name, float(price))
    return items


def parse_order(spec: str) -> list[tuple[str, int]]:
    parts = spec.split()
    lines = []
    for i in range(0, len(parts) - 1, 2):
        lines.append((parts[i], int(parts[i + 1])))
    return lines


@compile(examples=[(CATALOGUE, ORDER), (CATALOGUE, ""), (CATALOGUE, "Z0 1")])
def order_total(catalogue: str, order: str) -> float:
    items = parse_catalogue(catalogue)
    total = 0.0
    for sku, qty in parse_order(order):
        name, price = items[sku]
        total += price * qty
    return total


@compile(examples=[(CATALOGUE, ORDER), (CATALOGUE, "D9 1 B7 100")])
def order_lines(catalogue: str, order: str) -> str:
    items = parse_catalogue(catalogue)
    merged = Counter()
    for sku, qty in parse_order(order):
        merged[sku] += qty
    rows = []
    for sku, qty in merged.most_common():
        rows.append((items[sku][0], qty, items[sku][1] * qty))
    rows.sort(key=lambda r: r[2], reverse=True)
    return "; ".join([name + " x" + str(q) + " = " + str(cost) for name, q, cost in rows])


@compile(examples=[("A1 5 A2 0 C3 1", "A1 3 A2 2 C3 4 B7 1"), ("", "A1 1")])
def shortages(stock: str, order: str) -> str:
    have = Counter()
    for sku, qty in parse_order(stock):
        have[sku] += qty
    want = Counter()
    for sku, qty in parse_order(order):
        want[sku] += qty
    want -= have
    missing = [(sku, want[sku]) for sku in sorted(want)]
    return ",".join([sku + ":" + str(n) for sku, n in missing])


@compile(examples=[("north:A1 north:A2 south:A1 east:C3", "A1"), ("", "A1"), ("north:A1", "Q")])
def sites_holding(placements: str, sku: str) -> str:
    held: set[tuple[str, str]] = set()
    for p in placements.split():
        site, code = p.split(":")
        held.add((site, code))
    sites = [site for site, code in held if code == sku]
    sites.sort()
    return " ".join(sites)


@compile(examples=[("A1 5 A2 3", "A1 2 C3 1"), ("", "")])
def restock(stock: str, delivery: str) -> str:
    levels = defaultdict(lambda: 0)
    for sku, qty in parse_order(stock):
        levels[sku] += qty
    history: list[tuple[str, int, int]] = []
    for sku, qty in parse_order(delivery):
        before = levels[sku]
        levels[sku] = before + qty
        history.append((sku, before, levels[sku]))
    history.insert(0, ("start", 0, len(levels)))
    return " ".join([s + ":" + str(a) + ">" + str(b) for s, a, b in history])


@compile(examples=[(CATALOGUE, 1.0), (CATALOGUE, 0.0), ("", 5.0)])
def cheapest_first(catalogue: str, limit: float) -> str:
    items = parse_catalogue(catalogue)
    priced = [(price, name) for name, price in items.values()]
    heap_order = sorted(priced, key=lambda p: p[0])
    under = [name for price, name in heap_order if price <= limit]
    return ",".join(under)


@compile(examples=[(CATALOGUE, "C3"), (CATALOGUE, "ZZ")])
def describe(catalogue: str, sku: str) -> str:
    items = parse_catalogue(catalogue)
    by_name = {name: (code, price) for code, (name, price) in items.items()}
    name, price = items[sku]
    code, again = by_name[name]
    return code + " " + name + " " + str(price == again)


@compile(examples=[("north:A1 north:A2 south:A1 east:C3 north:A1", "A1", "north"), ("", "A1", "x"), ("west:B7", "B7", "east")])
def site_report(placements: str, sku: str, site: str) -> int:
    """Skus per site in sets made by setdefault(site, set()); a site with none reads as a fresh empty set."""
    holdings = {}
    for entry in placements.split():
        where, code = entry.split(":")
        holdings.setdefault(where, set()).add(code)
    here = holdings.get(site, set())
    here.add("probe")
    count = 0
    for codes in holdings.values():
        if sku in codes:
            count += 1
    return count * 100 + len(here) * 10 + len(holdings.get(site, set()))


@compile(examples=[("north:A1:5 north:A2:3 south:A1:2", "north", "A1"), ("", "north", "A1"), ("east:C3:1", "east", "Z9")])
def bin_count(levels: str, site: str, sku: str) -> int:
    """Stock per site in nested dicts: setdefault(site, {}) fills them, get(site, {}) and pop(site, {}) read them."""
    by_site: dict[str, dict[str, int]] = {}
    for entry in levels.split():
        where, code, qty = entry.split(":")
        by_site.setdefault(where, {})[code] = int(qty)
    here = by_site.get(site, {})
    moved = by_site.pop("south", {})
    return here.get(sku, 0) * 1000 + len(moved) * 10 + len(by_site)
