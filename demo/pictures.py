"""The demo's pictures: simple coastal landscapes drawn with Pillow, so the
demo needs no photographs. ``render_scene`` is all the loader calls."""

import colorsys
import io
import math
import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1600, 900


def _colour(hue, saturation, lightness):
    red, green, blue = colorsys.hls_to_rgb((hue % 360) / 360, lightness, saturation)
    return round(red * 255), round(green * 255), round(blue * 255)


def _mix(first, second, amount):
    return tuple(
        round(a + (b - a) * amount) for a, b in zip(first, second, strict=True)
    )


def _vertical_gradient(size, top, bottom):
    width, height = size
    mask = Image.linear_gradient("L").resize((width, height))
    return Image.composite(
        Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask
    )


def _ridge(rng, y, amplitude, width=WIDTH):
    """Points along a gently rolling skyline, closed along the bottom edge."""
    phases = [rng.uniform(0, 6.3) for _ in range(3)]
    waves = [rng.uniform(1.0, 2.2), rng.uniform(2.5, 4.5), rng.uniform(6, 9)]
    points = []
    for x in range(0, width + 20, 20):
        t = x / width
        offset = sum(
            math.sin(t * wave * math.pi + phase) / (index + 1)
            for index, (wave, phase) in enumerate(zip(waves, phases, strict=True))
        )
        points.append((x, y - amplitude * offset))
    return [*points, (width, HEIGHT), (0, HEIGHT)]


def render_scene(seed, scene, palette):
    """A JPEG (as bytes) of a simple coastal landscape in the given hues.

    ``scene`` picks the foreground: "bay", "town", "harbour", "ferry",
    "stadium", "moor" or "headland". The same arguments give the same picture.
    """
    sky_hue, sea_hue = palette
    rng = random.Random(seed)
    horizon = 560 if scene not in {"moor", "stadium"} else 600
    sky_top = _colour(sky_hue, 0.55, 0.32)
    sky_low = _colour(sky_hue + 25, 0.75, 0.78)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    image.paste(_vertical_gradient((WIDTH, horizon), sky_top, sky_low), (0, 0))
    draw = ImageDraw.Draw(image)

    # Sun with a soft halo.
    sun_x, sun_y = rng.randint(300, 1300), rng.randint(140, horizon - 160)
    sun = _colour(sky_hue + 40, 0.9, 0.88)
    halo = 300
    glow = Image.radial_gradient("L").resize((halo * 2, halo * 2))
    glow = glow.point(lambda value: round(max(0, 255 - value * 1.6) * 0.75))
    image.paste(sun, (sun_x - halo, sun_y - halo), glow)
    draw.ellipse((sun_x - 60, sun_y - 60, sun_x + 60, sun_y + 60), fill=sun)

    # Distant hills, paler the further away they are.
    far = _colour(sea_hue + 20, 0.25, 0.45)
    for layer, amount in enumerate((0.65, 0.35)):
        draw.polygon(
            _ridge(rng, horizon - 40 + layer * 25, 45 - layer * 10),
            fill=_mix(far, sky_low, amount),
        )

    if scene in {"moor", "stadium"}:
        _draw_land(image, draw, rng, horizon, sea_hue, scene)
    else:
        _draw_sea(image, draw, rng, horizon, sea_hue, sun_x, sun)
        foreground = {
            "town": _draw_town,
            "harbour": _draw_harbour,
            "ferry": _draw_ferry,
            "headland": _draw_headland,
        }.get(scene)
        if foreground is not None:
            foreground(draw, rng, horizon, sky_hue, sea_hue)

    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def _draw_sea(image, draw, rng, horizon, hue, sun_x, sun):
    top = _colour(hue, 0.45, 0.55)
    bottom = _colour(hue, 0.55, 0.22)
    image.paste(
        _vertical_gradient((WIDTH, HEIGHT - horizon), top, bottom), (0, horizon)
    )
    for _ in range(140):
        y = rng.randint(horizon + 4, HEIGHT)
        depth = (y - horizon) / (HEIGHT - horizon)
        length = rng.randint(20, 60) + round(depth * 120)
        near_sun = abs(rng.gauss(sun_x, 80 + depth * 140))
        x = round(near_sun) if rng.random() < 0.6 else rng.randint(0, WIDTH)
        draw.line(
            (x - length // 2, y, x + length // 2, y),
            fill=_mix(_mix(top, bottom, depth), sun, 0.55 - depth * 0.3),
            width=2 + round(depth * 3),
        )


def _draw_land(image, draw, rng, horizon, hue, scene):
    fields = [
        _colour(hue + shift, 0.4, 0.32 + index * 0.05)
        for index, shift in enumerate((0, 12, -10, 20))
    ]
    for index, fill in enumerate(fields):
        draw.polygon(_ridge(rng, horizon + index * 70, 30 - index * 4), fill=fill)
    if scene == "stadium":
        pitch = _colour(hue, 0.45, 0.4)
        draw.polygon(
            [(180, HEIGHT), (420, 700), (1180, 700), (1420, HEIGHT)], fill=pitch
        )
        line = _mix(pitch, (255, 255, 255), 0.7)
        draw.line((800, 700, 800, HEIGHT), fill=line, width=4)
        draw.ellipse((700, 760, 900, 860), outline=line, width=4)
        for x in (120, 1480):
            draw.line((x, HEIGHT, x, 300), fill=(40, 40, 48), width=14)
            draw.rectangle((x - 60, 260, x + 60, 310), fill=(250, 248, 220))
    else:
        water = _colour(hue + 100, 0.35, 0.55)
        draw.ellipse((260, 730, 760, 830), fill=water)
        reed = _mix(fields[-1], (30, 40, 20), 0.5)
        for _ in range(70):
            x = rng.randint(220, 800)
            draw.line((x, 790, x + rng.randint(-12, 12), 700), fill=reed, width=3)


def _draw_town(draw, rng, horizon, sky_hue, sea_hue):
    base = horizon + 40
    x = 0
    while x < WIDTH:
        width = rng.randint(70, 150)
        height = rng.randint(90, 260)
        wall = _colour(rng.choice((sky_hue, sea_hue, sky_hue + 180)), 0.35, 0.55)
        draw.rectangle((x, base - height, x + width, base + 40), fill=wall)
        draw.polygon(
            [
                (x - 6, base - height),
                (x + width // 2, base - height - 40),
                (x + width + 6, base - height),
            ],
            fill=_mix(wall, (40, 30, 30), 0.5),
        )
        window = _mix(wall, (255, 236, 180), 0.6)
        for wy in range(base - height + 25, base, 45):
            for wx in range(x + 14, x + width - 20, 32):
                draw.rectangle((wx, wy, wx + 14, wy + 20), fill=window)
        x += width + rng.randint(0, 12)
    draw.rectangle((0, base + 40, WIDTH, base + 60), fill=_colour(sea_hue, 0.1, 0.3))


def _draw_harbour(draw, rng, horizon, sky_hue, sea_hue):
    steel = _mix(_colour(sky_hue, 0.3, 0.15), (0, 0, 0), 0.3)
    draw.rectangle((0, horizon + 50, WIDTH, horizon + 90), fill=steel)
    for x in range(140, WIDTH, 360):
        top = horizon - rng.randint(220, 320)
        draw.line((x, horizon + 50, x + 30, top), fill=steel, width=14)
        draw.line((x + 90, horizon + 50, x + 60, top), fill=steel, width=14)
        draw.rectangle((x - 120, top - 24, x + 240, top), fill=steel)
        draw.line((x + 200, top, x + 200, top + 160), fill=steel, width=4)
    for x in range(40, WIDTH, 90):
        height = rng.choice((30, 60))
        colour = _colour(rng.choice((0, 20, 200, 210)), 0.5, 0.35)
        draw.rectangle((x, horizon + 50 - height, x + 80, horizon + 50), fill=colour)


def _draw_ferry(draw, rng, horizon, sky_hue, sea_hue):
    islands = _mix(_colour(sea_hue, 0.2, 0.3), _colour(sky_hue, 0.5, 0.7), 0.3)
    for x, width in ((120, 420), (1050, 520)):
        draw.ellipse((x, horizon - 50, x + width, horizon + 40), fill=islands)
    hull = (30, 34, 44)
    x, y = rng.randint(350, 900), horizon + 150
    draw.polygon([(x, y), (x + 420, y), (x + 380, y + 60), (x + 30, y + 60)], fill=hull)
    draw.rectangle((x + 90, y - 70, x + 330, y), fill=(236, 236, 230))
    draw.rectangle((x + 150, y - 120, x + 250, y - 70), fill=(236, 236, 230))
    draw.rectangle(
        (x + 190, y - 170, x + 220, y - 120), fill=_colour(sky_hue, 0.7, 0.5)
    )
    for wx in range(x + 105, x + 320, 34):
        draw.rectangle((wx, y - 50, wx + 18, y - 30), fill=(255, 220, 140))


def _draw_headland(draw, rng, horizon, sky_hue, sea_hue):
    grass = _colour(100, 0.4, 0.35)
    draw.polygon(
        [
            (WIDTH, horizon - 180),
            (1050, horizon - 150),
            (880, horizon + 120),
            (980, HEIGHT),
            (WIDTH, HEIGHT),
        ],
        fill=grass,
    )
    draw.rectangle((1300, horizon - 360, 1350, horizon - 170), fill=(244, 242, 236))
    draw.rectangle((1290, horizon - 390, 1360, horizon - 360), fill=(200, 40, 40))
    draw.line(
        (1060, horizon - 140, 1200, horizon - 60, 1500, horizon - 40),
        fill=_mix(grass, (230, 220, 190), 0.6),
        width=6,
    )
