"""Profile photos: checked, cleaned and stored under a name nobody chose.

Uploads are hostile until proven otherwise. Pillow decides what a file is (never
its name or declared type); a file whose header promises more pixels than a
profile photo could need is refused before anything is decoded, so a small
"decompression bomb" cannot exhaust memory; and the image is re-encoded from its
pixels alone, so EXIF (camera, time, GPS position) and any other metadata are gone.
"""

from __future__ import annotations

import uuid
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps

from profiles.errors import ProfileError
from profiles.models import Profile, User
from profiles.selectors.access import editable_fields
from profiles.services.editing import profile_changes_record

MAX_BYTES = 5 * 1024 * 1024
MAX_SIZE = (600, 600)
# Far beyond any camera a person would take a profile photo with (a 48-megapixel
# phone photo is 8064×6048), far below what would strain a web process.
MAX_PIXELS = 50_000_000
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
JPEG_QUALITY = 85

TOO_BIG = "The photo must be smaller than 5 MB"
NOT_AN_IMAGE = "The selected file must be a JPG, PNG, WebP or GIF image"


def photo_validate_and_process(upload) -> ContentFile:
    """A clean, small copy of the uploaded photo, or ProfileError(field="photo").

    The result is a JPEG, or a PNG when the image has transparency, at most
    600×600 pixels, upright, without metadata, and named at random.
    """
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ProfileError(TOO_BIG, field="photo")
    try:
        image = _decode(data)
    # Pillow signals a malformed file with many exception types (OSError,
    # SyntaxError, ValueError, struct.error, EOFError, DecompressionBombError…) and
    # the list changes between releases; Django's ImageField catches as broadly.
    except Exception as error:
        raise ProfileError(NOT_AN_IMAGE, field="photo") from error

    image.thumbnail(MAX_SIZE, Image.Resampling.LANCZOS)
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


def _decode(data: bytes) -> Image.Image:
    """The upright image in RGB, or RGBA when it has transparency."""
    # Only these decoders ever see the bytes, and open() reads just the header, so
    # the size check comes before any pixel is decoded.
    with Image.open(BytesIO(data), formats=ACCEPTED_FORMATS) as probe:
        width, height = probe.size
        if width * height > MAX_PIXELS:
            raise ValueError(f"{width}×{height} pixels is too many")
        probe.verify()
    # verify() leaves the image unusable; load() then decodes every pixel, which
    # finds truncated files that verify() lets through.
    image = Image.open(BytesIO(data), formats=ACCEPTED_FORMATS)
    # A large JPEG is decoded at a half, quarter or eighth of its size: still
    # bigger than the result, for a fraction of the memory.
    image.draft(None, (MAX_SIZE[0] * 2, MAX_SIZE[1] * 2))
    image.load()
    image = ImageOps.exif_transpose(image)
    return image.convert("RGBA" if _has_transparency(image) else "RGB")


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
        raise ProfileError("You cannot change the photo on this profile", field="photo")


def _delete_on_commit(profile: Profile, name: str) -> None:
    if name:
        storage = profile.photo.storage
        transaction.on_commit(lambda: storage.delete(name))
