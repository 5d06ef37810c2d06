"""Geographic maths on plain latitude/longitude columns (WGS 84): no PostGIS needed."""

import math
from collections.abc import Iterable

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def bbox_around(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """The (min_lon, min_lat, max_lon, max_lat) box that contains the circle, for an indexed pre-filter."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = max(math.cos(math.radians(lat)), 1e-6)
    dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat))
    return (lon - dlon, max(lat - dlat, -90.0), lon + dlon, min(lat + dlat, 90.0))


def weighted_centre(points: Iterable[tuple[float, float, float]]) -> tuple[float, float] | None:
    """Mean of (lat, lon, weight) points, weighted (a weight of 0 counts as 1); None when there is no point."""
    total = lat_sum = lon_sum = 0.0
    for lat, lon, weight in points:
        w = weight if weight and weight > 0 else 1.0
        total += w
        lat_sum += lat * w
        lon_sum += lon * w
    if not total:
        return None
    return (round(lat_sum / total, 6), round(lon_sum / total, 6))


def bounds(points: Iterable[tuple[float, float]]) -> tuple[float, float, float, float] | None:
    """(min_lon, min_lat, max_lon, max_lat) of (lat, lon) points; None when there is no point."""
    lats, lons = [], []
    for lat, lon in points:
        lats.append(lat)
        lons.append(lon)
    if not lats:
        return None
    return (min(lons), min(lats), max(lons), max(lats))
