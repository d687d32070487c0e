#!/usr/bin/env python3
"""Draws the smart #1 from its real dimensions and writes `src/components/car_views.rs`.

One model in millimetres (length 4,270, width 1,822, height 1,636, wheelbase 2,750, 19-inch
wheels), projected three ways: a 3/4 front view in perspective, an orthographic side view, and an
orthographic rear view. The interior is drawn flat. The output is static SVG markup whose fills are
CSS classes (paint, roof, glass, ...), so the app colours the car with CSS variables and never
builds the shapes at run time; wheels are placed by a transform and drawn by the app per rim design.

Run: python3 tools/car_views.py   (writes src/components/car_views.rs; commit the result)
"""

import math
import pathlib

L, W, H = 4270.0, 1822.0, 1636.0
WHEEL_R = 347.0  # 235/45 R19
REAR_AXLE, FRONT_AXLE = 680.0, 3430.0  # wheelbase 2,750 mm
ARCH_R = 395.0
SILL = 175.0  # ground clearance
BELT = 1060.0  # bottom of the side windows
COWL = (3150.0, 1035.0)  # foot of the windscreen
# The app draws a wheel with a tyre radius of 52 units (see car_picture.rs).
WHEEL_UNITS = 52.0

VIEW_W, VIEW_H, PAD = 800.0, 340.0, 14.0

# Side profile of the body below the windows, rear (X=0) to front (X=L), Y up.
BODY = [
    (60, SILL), (18, 330), (0, 560), (8, 820), (40, 960), (110, BELT),
    (1200, BELT - 10), (2400, BELT - 20), COWL,
    (3600, 1000), (3950, 960), (4170, 880), (4250, 730), (4270, 500), (4250, 300), (4170, SILL),
]
# The glasshouse side: belt line, windscreen, the coupé-like roof, the raked rear window.
GREENHOUSE = [
    (110, BELT), COWL, (2380, 1595), (1900, H), (1300, 1626), (800, 1580),
    (420, 1515), (300, 1480), (130, 1200),
]
# The side windows inside the glasshouse (the floating roof frames them).
WINDOWS = [
    (360, BELT + 30), (2960, BELT + 10), (2360, 1545), (1900, 1580), (1300, 1568),
    (800, 1525), (560, 1470), (430, 1380),
]
# The contrasting roof: its top edge, the A-pillar down to the cowl, and back over the windows.
ROOF = [
    (250, 1480), (420, 1515), (800, 1580), (1300, 1626), (1900, H), (2380, 1595), COWL,
    (3020, BELT + 5), (2370, 1556), (1900, 1592), (1300, 1580), (800, 1538), (500, 1475),
    (360, 1420), (240, 1400),
]


def arch(cx):
    """The wheel arch above the sill as a polygon (X, Y)."""
    pts = []
    for i in range(0, 181, 10):
        a = math.radians(i)
        x, y = cx + ARCH_R * math.cos(a), WHEEL_R + ARCH_R * math.sin(a) * 0.92
        pts.append((x, max(y, SILL)))
    return [(cx - ARCH_R, SILL)] + pts[::-1] + [(cx + ARCH_R, SILL)]


def profile_x_at(y):
    """X of the front of the body profile at height y (the nose), for the front face."""
    front = [p for p in BODY if p[0] >= 3950]
    for (x0, y0), (x1, y1) in zip(front, front[1:]):
        if min(y0, y1) <= y <= max(y0, y1) and y0 != y1:
            return x0 + (x1 - x0) * (y - y0) / (y1 - y0)
    return L


class Camera:
    def __init__(self, kind, eye=None, target=None, focal=1.0):
        self.kind, self.eye, self.target, self.focal = kind, eye, target, focal
        if kind == "persp":
            f = norm(sub(target, eye))
            r = norm(cross(f, (0, 1, 0)))
            u = cross(r, f)
            self.axes = (r, u, f)

    def raw(self, p):
        x, y, z = p
        if self.kind == "side":  # from the car's left, front to the right
            return (x, -y)
        if self.kind == "rear":  # from behind, the left side on the left
            return (-z, -y)
        r, u, f = self.axes
        d = sub(p, self.eye)
        depth = dot(d, f)
        return (self.focal * dot(d, r) / depth, -self.focal * dot(d, u) / depth)


def sub(a, b):
    return tuple(x - y for x, y in zip(a, b))


def dot(a, b):
    return sum(x * y for x, y in zip(a, b))


def cross(a, b):
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def norm(a):
    n = math.sqrt(dot(a, a))
    return tuple(x / n for x in a)


class View:
    """Collects shapes in 3D (mm), then fits them into the view box."""

    def __init__(self, camera):
        self.cam, self.shapes, self.wheels = camera, [], []

    def poly(self, cls, pts3, closed=True):
        self.shapes.append(("poly", cls, [self.cam.raw(p) for p in pts3], closed))

    def wheel(self, centre, axis_u, axis_v):
        """A wheel at `centre`; axis_u/axis_v span its plane (one wheel radius long)."""
        c = self.cam.raw(centre)
        u = self.cam.raw(tuple(a + b for a, b in zip(centre, axis_u)))
        v = self.cam.raw(tuple(a + b for a, b in zip(centre, axis_v)))
        self.wheels.append((c, sub(u, c), sub(v, c)))

    def render(self, ground_shadow):
        pts = [p for _, _, ps, _ in self.shapes for p in ps]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        scale = min((VIEW_W - 2 * PAD) / (max(xs) - min(xs)), (VIEW_H - 2 * PAD) / (max(ys) - min(ys)))
        ox = (VIEW_W - (max(xs) - min(xs)) * scale) / 2 - min(xs) * scale
        oy = VIEW_H - PAD - max(ys) * scale

        def fit(p):
            return (p[0] * scale + ox, p[1] * scale + oy)

        out = []
        if ground_shadow:
            gx0, gx1 = fit((min(xs), 0))[0], fit((max(xs), 0))[0]
            out.append(
                f'<ellipse class="sh" cx="{(gx0 + gx1) / 2:.0f}" cy="{VIEW_H - PAD:.0f}" '
                f'rx="{(gx1 - gx0) / 2 + 6:.0f}" ry="9"/>'
            )
        # Consecutive shapes of one class become one path: fewer elements, smaller markup.
        merged = []
        for kind, cls, ps, closed in self.shapes:
            # First point absolute, the rest relative: fewer digits to carry.
            pts = [(round(x), round(y)) for x, y in map(fit, ps)]
            steps = [f"{x - px},{y - py}" for (px, py), (x, y) in zip(pts, pts[1:])]
            # One "l", then pairs apart by a space (or by their own minus sign).
            rel = "".join(s if i == 0 or s.startswith("-") else " " + s for i, s in enumerate(steps))
            d = f"M{pts[0][0]},{pts[0][1]}l{rel}" + ("z" if closed else "")
            if merged and merged[-1][0] == cls:
                merged[-1][1].append(d)
            else:
                merged.append((cls, [d]))
        for cls, ds in merged:
            out.append(f'<path class="{cls}" d="{"".join(ds)}"/>')
        k = scale * WHEEL_R / WHEEL_UNITS
        wheels = []
        for c, u, v in self.wheels:
            cx, cy = fit(c)
            wheels.append(
                f"matrix({u[0] * k / WHEEL_R:.3f},{u[1] * k / WHEEL_R:.3f},"
                f"{v[0] * k / WHEEL_R:.3f},{v[1] * k / WHEEL_R:.3f},{cx:.1f},{cy:.1f})"
            )
        return "".join(out), wheels


def side_shapes(v, z_body, z_glass_low, z_glass_high, near=True):
    """The near side: body, glasshouse, windows, roof, arches, details."""

    def at(z_of):
        return lambda pts: [(x, y, z_of(y)) for x, y in pts]

    def tumble(y):  # the glasshouse leans in towards the roof
        t = max(0.0, min(1.0, (y - BELT) / (H - BELT)))
        return z_glass_low + (z_glass_high - z_glass_low) * t

    body, glass = at(lambda y: z_body), at(tumble)
    v.poly("p", body(BODY))
    v.poly("p", glass(GREENHOUSE))
    v.poly("g", glass(WINDOWS))
    # Black B- and C-pillars make the roof float.
    v.poly("d", glass([(1880, BELT + 20), (1960, BELT + 20), (1950, 1585), (1880, 1588)]))
    v.poly("d", glass([(1000, BELT + 25), (1080, BELT + 25), (1060, 1565), (990, 1560)]))
    v.poly("r", glass(ROOF))
    # Lower cladding between the arches and the arches themselves.
    v.poly("d", body([(REAR_AXLE, SILL), (FRONT_AXLE, SILL), (FRONT_AXLE, 300), (REAR_AXLE, 300)]))
    v.poly("d", body(arch(REAR_AXLE)))
    v.poly("d", body(arch(FRONT_AXLE)))
    # Door shut lines, flush handles, mirror, lights.
    v.poly("ln", body([(1920, BELT), (1935, 330)]), closed=False)
    v.poly("ln", body([(2980, BELT), (3010, 760), (3050, 700)]), closed=False)
    v.poly("ln", body([(1060, BELT), (1050, 760), (990, 730)]), closed=False)
    v.poly("hd", body([(1560, 905), (1760, 905), (1760, 935), (1560, 935)]))
    v.poly("hd", body([(2520, 915), (2720, 915), (2720, 945), (2520, 945)]))
    v.poly("d", body([(2900, 1040), (3150, 1060), (3120, 1180), (2930, 1170)]))
    v.poly("l", body([(3900, 930), (4150, 850), (4200, 800), (3880, 890)]))
    v.poly("t", body([(10, 860), (260, 870), (250, 920), (30, 915)]))


def three_quarter():
    cam = Camera("persp", eye=(L + 3300, 2400, -6800), target=(2000, 600, 911), focal=1.0)
    v = View(cam)
    # Front face: the nose across the car's width, rounded corners.
    face = []
    inset = [(SILL, 220), (300, 60), (480, 0), (700, 20), (850, 120)]
    for y, zi in inset:
        face.append((profile_x_at(y) - 15, y, zi))
    for y, zi in reversed(inset):
        face.append((profile_x_at(y) - 15, y, W - zi))
    v.poly("p1", face)
    # Bonnet top: from the cowl to the leading edge, across the width.
    bonnet_near = [(x, y, 90) for x, y in BODY if x >= COWL[0] and y >= 850]
    bonnet_far = [(x, y, W - 90) for x, y, _ in reversed(bonnet_near)]
    v.poly("p2", bonnet_near + bonnet_far)
    # Lower grille, headlights across the face, the lower lip.
    x_at = profile_x_at
    v.poly("d", [(x_at(260), 250, 330), (x_at(460), 440, 300), (x_at(460), 440, W - 300), (x_at(260), 250, W - 330)])
    # The smart #1's face: a dark band under the bonnet's edge carrying slim headlights at the
    # corners, joined by a full-width light bar.
    v.poly("d", [(x_at(830), 830, 100), (x_at(720), 720, 130), (x_at(720), 720, W - 130), (x_at(830), 830, W - 100)])
    v.poly("l", [(x_at(815), 815, 120), (x_at(770), 770, 150), (x_at(770), 770, 560), (x_at(815), 815, 540)])
    v.poly("l", [(x_at(815), 815, W - 540), (x_at(770), 770, W - 560), (x_at(770), 770, W - 150), (x_at(815), 815, W - 120)])
    v.poly("l", [(x_at(802), 802, 150), (x_at(790), 790, 150), (x_at(790), 790, W - 150), (x_at(802), 802, W - 150)])
    # Windscreen and roof top seen from above.
    v.poly("g", [(COWL[0], COWL[1], 170), (COWL[0], COWL[1], W - 170), (2420, 1590, W - 300), (2420, 1590, 300)])
    roof_top = [(x, y) for x, y in ROOF[: ROOF.index(COWL) - 1 + 1] if y >= 1500]
    v.poly("r", [(x, y, 300) for x, y in roof_top] + [(x, y, W - 300) for x, y in reversed(roof_top)])
    side_shapes(v, 0, 110, 300)
    u, w = (WHEEL_R, 0, 0), (0, -WHEEL_R, 0)
    v.wheel((REAR_AXLE, WHEEL_R, -5), u, w)
    v.wheel((FRONT_AXLE, WHEEL_R, -5), u, w)
    return v.render(True)


def side():
    v = View(Camera("side"))
    side_shapes(v, 0, 0, 0)
    u, w = (WHEEL_R, 0, 0), (0, -WHEEL_R, 0)
    v.wheel((REAR_AXLE, WHEEL_R, 0), u, w)
    v.wheel((FRONT_AXLE, WHEEL_R, 0), u, w)
    return v.render(True)


def rear():
    """From behind: symmetric shapes given as (half-width from the centre line, height)."""
    v = View(Camera("rear"))

    def sym(cls, half):
        left = [(0, y, W / 2 - hw) for hw, y in half]
        right = [(0, y, W / 2 + hw) for hw, y in reversed(half)]
        v.poly(cls, left + right)

    track, tyre = 1565 / 2, 235
    for side_sign in (-1, 1):
        zc = W / 2 + side_sign * track
        v.poly("tyre", [(0, 0, zc - tyre / 2), (0, 0, zc + tyre / 2), (0, 520, zc + tyre / 2), (0, 520, zc - tyre / 2)])
    sym("p", [(760, SILL + 40), (905, 330), (911, 620), (890, 900), (800, BELT), (690, 1300), (560, 1590), (420, H)])
    sym("g", [(640, 1060), (560, 1420), (480, 1500)])
    sym("r", [(540, 1520), (560, 1570), (500, 1625), (400, H)])
    sym("d", [(540, 1480), (470, 1520)])
    # The tailgate's dark band with the full-width light bar across it, red on every paint.
    sym("d", [(900, 830), (885, 960)])
    sym("t", [(885, 870), (880, 925)])
    sym("l", [(600, 893), (600, 901)])
    sym("d", [(560, SILL + 40), (640, 330)])
    sym("pl", [(260, 560), (260, 680)])
    v.poly("d", [(0, 990, W / 2 - 1020), (0, 1005, W / 2 - 900), (0, 1090, W / 2 - 905), (0, 1080, W / 2 - 1010)])
    v.poly("d", [(0, 990, W / 2 + 1020), (0, 1005, W / 2 + 900), (0, 1090, W / 2 + 905), (0, 1080, W / 2 + 1010)])
    return v.render(True)


def interior():
    """The cockpit from the rear bench: seats in the interior colour, the floating console,
    the round 12.8-inch centre screen, the 9.2-inch driver display and the head-up image."""
    parts = [
        '<path class="g" d="M40,40 Q400,-10 760,40 L720,150 Q400,120 80,150 Z"/>',
        '<path class="dash" d="M20,150 Q400,110 780,150 L790,230 L10,230 Z"/>',
        '<path class="i2" d="M40,168 Q400,136 760,168 L762,178 Q400,146 38,178 Z"/>',
        # The round 12.8-inch centre display, floating over the console on its stem.
        '<path class="dash" d="M392,200 L408,200 L414,236 L386,236 Z"/>',
        '<circle class="scr" cx="400" cy="160" r="62"/>',
        '<circle class="scr2" cx="400" cy="160" r="53"/>',
        '<path class="i2" d="M368,150 L432,150 L432,156 L368,156 Z M368,166 L416,166 L416,172 L368,172 Z"/>',
        # The 9.2-inch driver display behind the wheel, the head-up image on the windscreen.
        '<rect class="scr" x="160" y="140" width="110" height="34" rx="6"/>',
        '<rect class="hud" x="180" y="96" width="70" height="18" rx="3"/>',
        '<circle class="wh" cx="215" cy="205" r="62"/>',
        '<circle class="dash" cx="215" cy="205" r="46"/>',
        '<path class="wh" d="M153,205 L277,205 L277,218 L153,218 Z M209,210 L221,210 L221,267 L209,267 Z"/>',
        '<path class="dash" d="M330,230 L470,230 L500,340 L300,340 Z"/>',
        '<path class="i2" d="M340,236 L460,236 L470,262 L330,262 Z"/>',
        # Seat backs and headrests, driver left, passenger right.
        '<path class="i" d="M90,340 Q80,250 110,228 Q200,210 280,228 Q310,250 300,340 Z"/>',
        '<path class="i" d="M500,340 Q490,250 520,228 Q610,210 690,228 Q720,250 710,340 Z"/>',
        '<rect class="i" x="150" y="178" width="90" height="58" rx="22"/>',
        '<rect class="i" x="560" y="178" width="90" height="58" rx="22"/>',
        '<path class="i2" d="M150,300 Q195,290 240,300 L240,310 Q195,300 150,310 Z M560,300 Q605,290 650,300 L650,310 Q605,300 560,310 Z"/>',
    ]
    return "".join(parts), []


def main():
    views = [("FRONT", three_quarter()), ("SIDE", side()), ("REAR", rear()), ("INTERIOR", interior())]
    lines = [
        "//! Generated by `tools/car_views.py` from the smart #1's dimensions. Do not edit: change the",
        "//! model there and run it again.",
        "",
        "/// One view of the car: its shapes (SVG markup, coloured by CSS classes) and where its",
        "/// wheels go (an SVG transform each).",
        "pub struct CarView {",
        "    pub art: &'static str,",
        "    pub wheels: &'static [&'static str],",
        "}",
        "",
    ]
    for name, (art, wheels) in views:
        ws = ", ".join(f'"{w}"' for w in wheels)
        lines.append(f"pub const {name}: CarView = CarView {{")
        lines.append(f"    art: r#\"{art}\"#,")
        lines.append(f"    wheels: &[{ws}],")
        lines.append("};")
        lines.append("")
    out = pathlib.Path(__file__).resolve().parent.parent / "src/components/car_views.rs"
    out.write_text("\n".join(lines))
    print(f"wrote {out} ({sum(len(a) for _, (a, _) in views)} bytes of markup)")


if __name__ == "__main__":
    main()
