// Builds crates/web/assets/basemap.json from the Natural Earth 1:110m country
// shapes shipped in the npm package world-atlas@2.0.2 (countries-110m.json,
// TopoJSON). Runs offline:
//
//   npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
//   node crates/web/tools/make-basemap.mjs package/countries-110m.json > crates/web/assets/basemap.json
//
// The output holds SVG path data already projected into the map's viewBox, so
// the server only has to paste it. The projection must match `project()` in
// crates/web/src/map.rs: equirectangular over the bounding box below, with the
// x axis scaled by cos(15°) so shapes near the middle latitude keep their look.

import { readFileSync } from "node:fs";

const BBOX = { west: -125, east: -55, south: -5, north: 35 };
const WIDTH = 1000;
const HEIGHT = Math.round(
  (WIDTH * (BBOX.north - BBOX.south)) /
    ((BBOX.east - BBOX.west) * Math.cos((15 * Math.PI) / 180)),
);

function project([lon, lat]) {
  const x = ((lon - BBOX.west) / (BBOX.east - BBOX.west)) * WIDTH;
  const y = ((BBOX.north - lat) / (BBOX.north - BBOX.south)) * HEIGHT;
  return [x, y];
}

// TopoJSON arcs are quantized and delta-encoded; decode them to lon/lat.
function decodeArcs(topology) {
  const [sx, sy] = topology.transform.scale;
  const [tx, ty] = topology.transform.translate;
  return topology.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return [x * sx + tx, y * sy + ty];
    });
  });
}

// A ring is a list of arc indexes; a negative index ~i means arc i reversed.
function ringPoints(ring, arcs) {
  const out = [];
  for (const index of ring) {
    const arc = index < 0 ? arcs[~index].slice().reverse() : arcs[index];
    arc.forEach((p, k) => {
      if (k > 0 || out.length === 0) out.push(p);
    });
  }
  return out;
}

// Sutherland–Hodgman clipping of one ring against one half-plane.
function clipEdge(points, inside, intersect) {
  const out = [];
  for (let i = 0; i < points.length; i++) {
    const cur = points[i];
    const prev = points[(i + points.length - 1) % points.length];
    if (inside(cur)) {
      if (!inside(prev)) out.push(intersect(prev, cur));
      out.push(cur);
    } else if (inside(prev)) {
      out.push(intersect(prev, cur));
    }
  }
  return out;
}

function clipRing(points) {
  const atLon = (lon) => (a, b) => [lon, a[1] + ((b[1] - a[1]) * (lon - a[0])) / (b[0] - a[0])];
  const atLat = (lat) => (a, b) => [a[0] + ((b[0] - a[0]) * (lat - a[1])) / (b[1] - a[1]), lat];
  let p = points;
  p = clipEdge(p, (q) => q[0] >= BBOX.west, atLon(BBOX.west));
  if (p.length) p = clipEdge(p, (q) => q[0] <= BBOX.east, atLon(BBOX.east));
  if (p.length) p = clipEdge(p, (q) => q[1] >= BBOX.south, atLat(BBOX.south));
  if (p.length) p = clipEdge(p, (q) => q[1] <= BBOX.north, atLat(BBOX.north));
  return p;
}

function pathData(rings) {
  const parts = [];
  for (const ring of rings) {
    let last = null;
    const cmds = [];
    for (const point of ring) {
      const [x, y] = project(point).map((v) => Math.round(v * 10) / 10);
      const key = `${x},${y}`;
      if (key === last) continue;
      last = key;
      cmds.push(key);
    }
    if (cmds.length >= 3) parts.push(`M${cmds.join("L")}Z`);
  }
  return parts.join("");
}

const file = process.argv[2];
if (!file) {
  console.error("usage: node make-basemap.mjs countries-110m.json > basemap.json");
  process.exit(2);
}
const topology = JSON.parse(readFileSync(file, "utf8"));
const arcs = decodeArcs(topology);
const countries = [];
for (const geometry of topology.objects.countries.geometries) {
  const polygons =
    geometry.type === "Polygon" ? [geometry.arcs] : geometry.type === "MultiPolygon" ? geometry.arcs : [];
  const rings = [];
  for (const polygon of polygons) {
    for (const ring of polygon) {
      const clipped = clipRing(ringPoints(ring, arcs));
      if (clipped.length >= 3) rings.push(clipped);
    }
  }
  const d = pathData(rings);
  if (d) countries.push({ name: geometry.properties?.name ?? "", d });
}
countries.sort((a, b) => a.name.localeCompare(b.name));
const out = {
  source: "Natural Earth 1:110m countries via world-atlas@2.0.2 countries-110m.json",
  bbox: [BBOX.west, BBOX.south, BBOX.east, BBOX.north],
  width: WIDTH,
  height: HEIGHT,
  countries,
};
process.stdout.write(JSON.stringify(out) + "\n");
