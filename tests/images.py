"""Crafted images for the upload tests: a JPEG that carries a GPS position, a PNG that claims to be huge."""

import io
import struct
import zlib

from PIL import Image


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Maker"  # Make
    exif.get_ifd(0x8825)[2] = (50.0, 30.0, 0.0)  # GPSLatitude
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "#336699").save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A 1×1 PNG whose header claims ``width`` × ``height`` (a decompression bomb, refused before decoding)."""
    out = io.BytesIO()
    Image.new("1", (1, 1)).save(out, format="PNG")
    data = bytearray(out.getvalue())
    header = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(header))
    return bytes(data)
