"""Draws the marketplace icon (a shield with a check mark) as a 128x128 PNG, with the standard library only."""
import struct
import sys
import zlib

SIZE = 128
NAVY = (16, 42, 84, 255)
TEAL = (0, 168, 150, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)


def inside_shield(x: float, y: float) -> bool:
    # Flat top with rounded shoulders, sides curving to a point at the bottom.
    if y < 14 or y > 116:
        return False
    half = 46 if y < 64 else 46 * (1 - ((y - 64) / 52) ** 1.6)
    return abs(x - 64) <= half


def on_check(x: float, y: float) -> bool:
    def near(ax, ay, bx, by, width):
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
        px, py = ax + t * dx, ay + t * dy
        return (x - px) ** 2 + (y - py) ** 2 <= width * width

    return near(40, 64, 57, 81, 7) or near(57, 81, 90, 46, 7)


def pixel(x: int, y: int):
    if not inside_shield(x + 0.5, y + 0.5):
        return CLEAR
    if on_check(x + 0.5, y + 0.5):
        return WHITE
    edge = not inside_shield(x - 5.5, y + 0.5) or not inside_shield(x + 6.5, y + 0.5) or not inside_shield(x + 0.5, y - 5.5) or not inside_shield(x + 0.5, y + 6.5)
    return TEAL if edge else NAVY


def png(path: str) -> None:
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(SIZE)) for y in range(SIZE))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    png(sys.argv[1] if len(sys.argv) > 1 else "images/icon.png")
