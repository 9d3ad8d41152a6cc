"""Profile photos: checked, cleaned and stored under a name nobody chose.

Uploads are hostile until proven otherwise. Pillow decides what a file is (never
its name or declared type); a file whose header promises more pixels than a
profile photo could need is refused before anything is decoded, so a small
"decompression bomb" cannot exhaust memory; the image is decoded within a memory
budget, one at a time per process, so many uploads at once cannot multiply it;
and the image is re-encoded from its pixels alone, so EXIF (camera, time, GPS
position) and any other metadata are gone.
"""

from __future__ import annotations

import threading
import uuid
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps
from PIL.JpegImagePlugin import JpegImageFile

from profiles.errors import ProfileForbidden, ProfileInvalid, ProfileRateLimited
from profiles.models import Profile, User
from profiles.selectors.access import editable_fields
from profiles.services.editing import profile_changes_record

MAX_BYTES = 5 * 1024 * 1024
MAX_SIZE = (600, 600)
# The most pixels a photo may have, by format. A profile photo is shown at most
# 600 pixels across, so the limits follow what people's photos have and what
# decoding one costs (measured with bench/upload_memory.py, docs/performance.md),
# keeping each decode under about 100 MiB whatever the file holds.
MAX_PIXELS = {
    # Phones take 12 megapixels (4032×3024) by default, recent iPhones 24
    # (5712×4284); their 48- and 50-megapixel modes are refused. A JPEG is decoded
    # at a half, a quarter or an eighth of its size, so these cost under 25 MiB.
    "JPEG": 25_000_000,
    # Decoded in full, at up to 8 bytes a pixel once transparency is resampled:
    # a 4K screenshot (3840×2160, 8.3 megapixels) fits.
    "PNG": 12_000_000,
    "GIF": 12_000_000,
    # libwebp keeps two canvases of its own beside the image: 16 bytes a pixel.
    "WEBP": 6_000_000,
}
ACCEPTED_FORMATS = tuple(MAX_PIXELS)
JPEG_QUALITY = 85
# Decodes at once in one process. A server process serves one core and a decode
# keeps that core busy, so a second decode at once would not finish sooner; it
# would only hold a second image. Uploads beyond it wait their turn, for at most
# DECODE_WAIT_SECONDS.
DECODES_AT_ONCE = 1
DECODE_WAIT_SECONDS = 15
# Modes Pillow resamples as they are; any other is converted first.
RESAMPLED_AS_DECODED = {"L", "LA", "RGB", "RGBA", "CMYK"}

TOO_BIG = "The photo must be smaller than 5 MB"
NOT_AN_IMAGE = "The selected file must be a JPG, PNG, WebP or GIF image"
TOO_MANY_PIXELS = (
    "The photo has too many pixels: it can have up to {JPEG} megapixels as a JPG, "
    "{PNG} as a PNG or GIF, or {WEBP} as a WebP"
).format(**{name: limit // 1_000_000 for name, limit in MAX_PIXELS.items()})
BUSY = "Too many photos are being uploaded at the moment. Try again in a minute"

_decoding = threading.BoundedSemaphore(DECODES_AT_ONCE)


class _TooManyPixels(Exception):
    pass


def photo_validate_and_process(upload) -> ContentFile:
    """A clean, small copy of the uploaded photo, or ProfileError(field="photo").

    The result is a JPEG, or a PNG when the image has transparency, at most
    600×600 pixels, upright, without metadata, and named at random.
    """
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ProfileInvalid(TOO_BIG, field="photo")
    try:
        _check(data)
    except (_TooManyPixels, Image.DecompressionBombError) as error:
        raise ProfileInvalid(TOO_MANY_PIXELS, field="photo") from error
    # Pillow signals a malformed file with many exception types (OSError,
    # SyntaxError, ValueError, struct.error, EOFError…) and the list changes
    # between releases; Django's ImageField catches as broadly.
    except Exception as error:
        raise ProfileInvalid(NOT_AN_IMAGE, field="photo") from error
    if not _decoding.acquire(timeout=DECODE_WAIT_SECONDS):
        raise ProfileRateLimited(BUSY, field="photo")
    try:
        image = _decode_small(data)
    except Exception as error:
        raise ProfileInvalid(NOT_AN_IMAGE, field="photo") from error
    finally:
        _decoding.release()

    output = BytesIO()
    if image.mode == "RGBA":
        _pixels_only(image).save(output, format="PNG", optimize=True)
        extension = "png"
    else:
        _pixels_only(image).save(
            output, format="JPEG", quality=JPEG_QUALITY, optimize=True
        )
        extension = "jpg"
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


def _check(data: bytes) -> None:
    """Raise unless `data` is an accepted image with few enough pixels.

    Only the accepted decoders ever see the bytes, and open() reads just the
    header, so the size is checked before any pixel is decoded.
    """
    with Image.open(BytesIO(data), formats=ACCEPTED_FORMATS) as probe:
        width, height = probe.size
        # MPO, the multi-picture JPEG some cameras write, is a JPEG to decode.
        kind = "JPEG" if isinstance(probe, JpegImageFile) else probe.format
        if width * height > MAX_PIXELS[kind]:
            raise _TooManyPixels(f"{width}×{height} pixels is too many for {kind}")
        probe.verify()


def _decode_small(data: bytes) -> Image.Image:
    """The image fitted into MAX_SIZE and upright, in RGB, or RGBA when it has
    transparency.

    It is shrunk first, in the mode it was decoded in when Pillow can resample
    that, so only the decoded image is ever held at full size, and every later
    step works on 600×600 at most.
    """
    # verify() left the probe unusable; load() decodes every pixel, which finds
    # truncated files that verify() lets through.
    image = Image.open(BytesIO(data), formats=ACCEPTED_FORMATS)
    # A JPEG is decoded at a half, quarter or eighth of its size: no smaller
    # than twice the result, asked for in the result's shape, so that a
    # panorama is reduced as much as a square photo.
    width, height = _fitted(image.size)
    image.draft(None, (width * 2, height * 2))
    image.load()
    mode = "RGBA" if _has_transparency(image) else "RGB"
    if image.mode not in RESAMPLED_AS_DECODED:
        image = image.convert(mode)
    image.thumbnail(MAX_SIZE, Image.Resampling.LANCZOS)
    # Shrinking into a square and turning commute, so turning comes after, small.
    image = ImageOps.exif_transpose(image)
    return image if image.mode == mode else image.convert(mode)


def _fitted(size: tuple[int, int]) -> tuple[int, int]:
    """`size` shrunk, keeping its shape, to fit MAX_SIZE (never enlarged)."""
    width, height = size
    scale = min(MAX_SIZE[0] / width, MAX_SIZE[1] / height, 1)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _has_transparency(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA"} or (
        image.mode == "P" and "transparency" in image.info
    )


def _pixels_only(image: Image.Image) -> Image.Image:
    """A copy holding the pixels and nothing else: no EXIF, XMP, ICC or comments."""
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def profile_set_photo(
    *, actor: User, profile: Profile, upload, ip_address: str | None = None
) -> Profile:
    """Replace `profile`'s photo with a cleaned copy of `upload`.

    The old file is deleted once the change has committed; if the change fails,
    the new file is deleted instead, so no orphan stays in storage.
    """
    _check_may_change_photo(actor, profile)
    content = photo_validate_and_process(upload)
    with transaction.atomic():
        profile.refresh_from_db(from_queryset=Profile.objects.select_for_update())
        old_name = profile.photo.name
        profile.photo.save(content.name, content, save=False)
        new_name = profile.photo.name
        try:
            profile.save(update_fields=["photo", "updated_at"])
            profile_changes_record(
                actor=actor,
                profile=profile,
                diff={"photo": {"before": old_name or None, "after": new_name}},
                ip_address=ip_address,
            )
        except BaseException:
            profile.photo.storage.delete(new_name)
            raise
        _delete_on_commit(profile, old_name)
    return profile


def profile_remove_photo(
    *, actor: User, profile: Profile, ip_address: str | None = None
) -> Profile:
    """Remove `profile`'s photo; nothing happens, and nothing is recorded, if it
    has none."""
    _check_may_change_photo(actor, profile)
    with transaction.atomic():
        profile.refresh_from_db(from_queryset=Profile.objects.select_for_update())
        old_name = profile.photo.name
        if not old_name:
            return profile
        profile.photo = ""
        profile.save(update_fields=["photo", "updated_at"])
        profile_changes_record(
            actor=actor,
            profile=profile,
            diff={"photo": {"before": old_name, "after": None}},
            ip_address=ip_address,
        )
        _delete_on_commit(profile, old_name)
    return profile


def _check_may_change_photo(actor: User, profile: Profile) -> None:
    if "photo" not in editable_fields(actor, profile):
        raise ProfileForbidden(
            "You cannot change the photo on this profile", field="photo"
        )


def _delete_on_commit(profile: Profile, name: str) -> None:
    if name:
        storage = profile.photo.storage
        transaction.on_commit(lambda: storage.delete(name))
