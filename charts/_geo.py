"""Map helpers: where to put a marker for each country, and the frame that shows the countries
whole, computed from the TopoJSON itself."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Point = tuple[float, float]


def _arcs(topo: dict[str, Any]) -> list[list[Point]]:
    """Absolute lon/lat coordinates of every arc (TopoJSON stores quantized deltas)."""
    transform = topo.get("transform")
    decoded = []
    for arc in topo["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x, y = x + dx, y + dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(a), float(b)) for a, b in arc]
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list[list[Point]]) -> list[Point]:
    points: list[Point] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]  # negative index: the arc reversed
        points.extend(arc if not points else arc[1:])
    return points


def _area_and_centroid(ring: list[Point]) -> tuple[float, Point]:
    """Planar (lon/lat) area and centroid: good enough to place a label."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if a == 0:
        xs, ys = zip(*ring)
        return 0.0, (sum(xs) / len(xs), sum(ys) / len(ys))
    return abs(a) / 2, (cx / (3 * a), cy / (3 * a))


def polygons(topo: dict[str, Any], feature: str, country_id: str) -> list[list[Point]]:
    """The outer rings of one country's polygons."""
    arcs = _arcs(topo)
    for geom in topo["objects"][feature]["geometries"]:
        if geom.get("id") != country_id:
            continue
        if geom["type"] == "Polygon":
            return [_ring(geom["arcs"][0], arcs)]
        if geom["type"] == "MultiPolygon":
            return [_ring(poly[0], arcs) for poly in geom["arcs"]]
    return []


def label_point(topo: dict[str, Any], feature: str, country_id: str) -> tuple[Point, float] | None:
    """The centroid of a country's largest polygon (the mainland) and its area in square
    degrees, or None if the country is not in the file."""
    rings = polygons(topo, feature, country_id)
    if not rings:
        return None
    area, centroid = max((_area_and_centroid(r) for r in rings), key=lambda ac: ac[0])
    return centroid, area


def frame(
    topo: dict[str, Any], feature: str, country_ids: list[str], also: Sequence[Point] = ()
) -> dict[str, Any]:
    """A GeoJSON feature for a projection's `fit`: the outline points of the countries (each
    polygon's convex hull, its outermost points) and the points `also`, to a tenth of a degree.

    Their lon/lat bounding box is no substitute: in a curved projection such as Equal Earth,
    a box's corner is not where a country reaches farthest (Australia's east coast lies
    beyond the box corner at 156 E, 46 S).
    """
    points: set[Point] = {(round(x, 1), round(y, 1)) for x, y in also}
    for country_id in country_ids:
        for ring in polygons(topo, feature, country_id):
            points.update((round(x, 1), round(y, 1)) for x, y in _hull(ring))
    return {
        "type": "Feature",
        "geometry": {"type": "MultiPoint", "coordinates": [list(p) for p in sorted(points)]},
        "properties": {},
    }


def _hull(points: list[Point]) -> list[Point]:
    """The convex hull in lon/lat (monotone chain): the few points that bound a polygon."""
    ordered = sorted(set(points))
    if len(ordered) < 3:
        return ordered

    def half(seq: list[Point]) -> list[Point]:
        out: list[Point] = []
        for p in seq:
            while len(out) >= 2 and _cross(out[-2], out[-1], p) <= 0:
                out.pop()
            out.append(p)
        return out[:-1]

    return half(ordered) + half(ordered[::-1])


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
