"""Map helpers: where to put a marker for each country, computed from the TopoJSON itself."""

from __future__ import annotations

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
