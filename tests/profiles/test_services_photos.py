import os
import struct
import threading
import time
import zlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile, WebPImagePlugin

from intranet.models import AuditEvent, Notification
from profiles.errors import ProfileError
from profiles.services import photos
from profiles.services.photos import (
    BUSY,
    NOT_AN_IMAGE,
    TOO_BIG,
    TOO_MANY_PIXELS,
    photo_validate_and_process,
    profile_remove_photo,
    profile_set_photo,
)
from tests.profiles.factories import ProfileFactory, UserFactory

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def image_bytes(fmt="JPEG", size=(120, 80), mode="RGB", color="teal", **save) -> bytes:
    output = BytesIO()
    Image.new(mode, size, color).save(output, format=fmt, **save)
    return output.getvalue()


def upload(data: bytes, name="me.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def open_result(content) -> Image.Image:
    return Image.open(BytesIO(content.read()))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims huge dimensions: a decompression bomb's header."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


def refused_with(message, data, name="me.jpg"):
    with pytest.raises(ProfileError) as caught:
        photo_validate_and_process(upload(data, name))
    assert caught.value.field == "photo"
    assert caught.value.message == message


class TestValidateAndProcess:
    def test_exif_and_gps_are_stripped(self):
        exif = Image.Exif()
        exif[MAKE] = "Phone maker"
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 0.0)})
        data = image_bytes(exif=exif.tobytes())
        assert Image.open(BytesIO(data)).getexif().get_ifd(GPS_IFD)

        content = photo_validate_and_process(upload(data))

        raw = content.read()
        result = Image.open(BytesIO(raw))
        assert result.format == "JPEG"
        assert not result.getexif()
        assert "exif" not in result.info
        assert b"Exif" not in raw
        assert b"Phone maker" not in raw

    def test_the_exif_orientation_is_applied_before_it_is_dropped(self):
        exif = Image.Exif()
        exif[ORIENTATION] = 6  # taken sideways: turn 90° clockwise to view
        data = image_bytes(size=(200, 100), exif=exif.tobytes())

        result = open_result(photo_validate_and_process(upload(data)))

        assert result.size == (100, 200)

    @pytest.mark.parametrize(
        ("size", "expected"),
        [((4000, 3000), (600, 450)), ((1000, 5000), (120, 600))],
    )
    def test_a_large_photo_is_resized_to_fit_600_pixels(self, size, expected):
        content = photo_validate_and_process(upload(image_bytes(size=size)))
        assert open_result(content).size == expected

    def test_a_small_photo_keeps_its_size(self):
        content = photo_validate_and_process(upload(image_bytes(size=(64, 48))))
        assert open_result(content).size == (64, 48)

    def test_the_name_is_random_never_the_uploaded_one(self):
        data = image_bytes()
        first = photo_validate_and_process(upload(data, "../../etc/passwd.jpg"))
        second = photo_validate_and_process(upload(data, "../../etc/passwd.jpg"))
        assert first.name != second.name
        assert "passwd" not in first.name
        assert first.name.endswith(".jpg")
        assert "/" not in first.name

    @pytest.mark.parametrize(
        ("fmt", "mode"), [("PNG", "RGB"), ("WEBP", "RGB"), ("GIF", "P"), ("JPEG", "L")]
    )
    def test_other_accepted_formats_become_jpeg(self, fmt, mode):
        data = image_bytes(fmt=fmt, mode=mode, color=1 if mode != "RGB" else "teal")
        result = open_result(photo_validate_and_process(upload(data, "me.img")))
        assert (result.format, result.mode) == ("JPEG", "RGB")

    def test_cmyk_jpeg_becomes_rgb(self):
        data = image_bytes(mode="CMYK", color=(0, 50, 100, 0))
        result = open_result(photo_validate_and_process(upload(data)))
        assert result.mode == "RGB"

    @pytest.mark.parametrize("fmt", ["PNG", "WEBP", "GIF"])
    def test_transparency_is_kept_as_png(self, fmt):
        data = image_bytes(fmt=fmt, mode="RGBA", color=(0, 128, 128, 0))
        content = photo_validate_and_process(upload(data, "me.png"))
        result = open_result(content)
        assert (result.format, result.mode) == ("PNG", "RGBA")
        assert content.name.endswith(".png")
        assert result.getpixel((0, 0))[3] == 0

    def test_a_file_over_5_mb_is_refused(self):
        refused_with(TOO_BIG, b"\xff\xd8\xff" + os.urandom(6 * 1024 * 1024))

    def test_exactly_5_mb_is_not_refused_for_its_size(self):
        # Not an image either, but it gets as far as being looked at.
        refused_with(NOT_AN_IMAGE, b"x" * (5 * 1024 * 1024))

    def test_a_text_file_named_jpg_is_refused(self):
        refused_with(NOT_AN_IMAGE, b"Not a photo, just some text.\n" * 20)

    def test_an_empty_file_is_refused(self):
        refused_with(NOT_AN_IMAGE, b"")

    def test_a_truncated_image_is_refused(self):
        # Noise does not compress, so half the file is half the pixels.
        noisy = Image.frombytes("RGB", (400, 300), os.urandom(400 * 300 * 3))
        output = BytesIO()
        noisy.save(output, format="JPEG")
        data = output.getvalue()
        refused_with(NOT_AN_IMAGE, data[: len(data) // 2])

    @pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO"])
    def test_other_image_formats_are_refused(self, fmt):
        refused_with(NOT_AN_IMAGE, image_bytes(fmt=fmt, size=(32, 32)), "me.bmp")

    def test_a_decompression_bomb_is_refused_before_it_is_decoded(self, decodes):
        # 8,000 × 8,000 one-bit pixels: a few kilobytes on disk, 64 megapixels.
        bomb = image_bytes(fmt="PNG", size=(8000, 8000), mode="1", color=0)
        assert len(bomb) < 100_000
        refused_with(TOO_MANY_PIXELS, bomb, "bomb.png")
        assert decodes == []

    def test_a_bomb_pillow_itself_would_refuse_gets_the_same_message(self):
        refused_with(TOO_MANY_PIXELS, png_header_only(100_000, 100_000), "bomb.png")


@pytest.fixture
def decodes(monkeypatch):
    """The size of every image Pillow decodes pixels for, in order."""
    seen = []
    for cls in (ImageFile.ImageFile, WebPImagePlugin.WebPImageFile):
        original = cls.load

        def spy(image, original=original, cls=cls):
            # WebP decodes in its own load(), then hands ImageFile's the pixels.
            webp = isinstance(image, WebPImagePlugin.WebPImageFile)
            if (webp and cls is not ImageFile.ImageFile) or (image.tile and not webp):
                seen.append(image.size)
            return original(image)

        monkeypatch.setattr(cls, "load", spy)
    return seen


class TestPixelLimits:
    """What a profile photo needs: a phone's photo, a screenshot; a bigger image
    is refused from its header, before a pixel is decoded."""

    @pytest.mark.parametrize(
        ("fmt", "size"),
        [
            # 30 megapixels: a 48-megapixel phone mode is refused too.
            ("JPEG", (6000, 5000)),
            ("PNG", (4000, 3001)),
            ("GIF", (4000, 3001)),
            ("WEBP", (3000, 2001)),
        ],
    )
    def test_over_the_limit_is_refused_without_decoding(self, decodes, fmt, size):
        data = image_bytes(fmt=fmt, size=size, mode="L", color=128)
        assert len(data) < photos.MAX_BYTES

        refused_with(TOO_MANY_PIXELS, data, "big.img")

        assert decodes == []

    def test_the_message_says_what_each_format_may_have(self):
        assert TOO_MANY_PIXELS == (
            "The photo has too many pixels: it can have up to 25 megapixels as a "
            "JPG, 12 as a PNG or GIF, or 6 as a WebP"
        )

    @pytest.mark.parametrize(
        ("fmt", "size", "expected"),
        [("PNG", (4000, 3000), (600, 450)), ("WEBP", (3000, 2000), (600, 400))],
    )
    def test_at_the_limit_is_accepted(self, fmt, size, expected):
        data = image_bytes(fmt=fmt, size=size, mode="L", color=128)
        result = open_result(photo_validate_and_process(upload(data, "big.img")))
        assert result.size == expected

    def test_a_24_megapixel_phone_photo_is_decoded_at_a_quarter(self, decodes):
        data = image_bytes(size=(5712, 4284))

        result = open_result(photo_validate_and_process(upload(data)))

        assert result.size == (600, 450)
        assert decodes == [(1428, 1071)]

    def test_a_panorama_jpeg_is_decoded_reduced_like_any_other(self, decodes):
        data = image_bytes(size=(8000, 1000))

        result = open_result(photo_validate_and_process(upload(data)))

        assert result.size == (600, 75)
        assert decodes == [(2000, 250)]


class TestDecodesAtOnce:
    def test_uploads_at_once_decode_one_at_a_time(self, monkeypatch):
        decode = photos._decode_small
        lock = threading.Lock()
        inside = []
        most = []
        someone_else_inside = threading.Event()

        def counting(data):
            with lock:
                inside.append(data)
                most.append(len(inside))
                if len(inside) > 1:
                    someone_else_inside.set()
            # Long enough for every other upload to arrive, unless one already has.
            someone_else_inside.wait(0.3)
            try:
                return decode(data)
            finally:
                with lock:
                    inside.remove(data)

        monkeypatch.setattr(photos, "_decode_small", counting)
        data = image_bytes()
        results = []
        uploads = [
            threading.Thread(
                target=lambda: results.append(photo_validate_and_process(upload(data)))
            )
            for _ in range(4)
        ]
        for thread in uploads:
            thread.start()
        for thread in uploads:
            thread.join()

        assert len(results) == 4
        assert max(most) == photos.DECODES_AT_ONCE == 1

    def test_an_upload_that_waits_too_long_is_refused_undecoded(self, monkeypatch):
        monkeypatch.setattr(photos, "DECODE_WAIT_SECONDS", 0.05)
        decoded = []
        monkeypatch.setattr(photos, "_decode_small", decoded.append)
        assert photos._decoding.acquire(timeout=5)
        try:
            started = time.monotonic()
            refused_with(BUSY, image_bytes())
        finally:
            photos._decoding.release()
        assert time.monotonic() - started < 5
        assert decoded == []


@pytest.mark.django_db
class TestSetAndRemove:
    @pytest.fixture
    def owner(self):
        return ProfileFactory()

    def set_photo(self, actor, profile, data=None, name="holiday.jpg"):
        return profile_set_photo(
            actor=actor, profile=profile, upload=upload(data or image_bytes(), name)
        )

    def test_the_owner_sets_their_photo_under_a_random_name(self, owner, media_root):
        self.set_photo(owner.user, owner)

        owner.refresh_from_db()
        assert owner.photo.name.startswith("photos/")
        assert "holiday" not in owner.photo.name
        assert (media_root / owner.photo.name).is_file()
        (event,) = AuditEvent.objects.filter(action="profile.update")
        assert event.details["changes"]["photo"] == {
            "before": None,
            "after": owner.photo.name,
        }
        assert not Notification.objects.exists()

    def test_replacing_removes_the_old_file_once_committed(
        self, owner, media_root, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            self.set_photo(owner.user, owner)
        old = media_root / owner.photo.name

        with django_capture_on_commit_callbacks(execute=True):
            self.set_photo(owner.user, owner, image_bytes(color="navy"))

        assert not old.exists()
        assert (media_root / owner.photo.name).is_file()

    def test_an_it_admin_may_set_it_and_the_owner_is_told(self, owner):
        admin = UserFactory(it_admin=True, first_name="Ada", last_name="Admin")
        self.set_photo(admin, owner)
        notification = Notification.objects.get(recipient=owner.user)
        assert notification.text == "Ada Admin changed your profile: photo."

    @pytest.mark.parametrize("who", ["line_manager", "colleague"])
    def test_others_may_not_and_nothing_is_stored(self, owner, media_root, who):
        other = ProfileFactory(department=owner.department)
        if who == "line_manager":
            owner.line_manager = other
            owner.save()
        with pytest.raises(ProfileError) as caught:
            self.set_photo(other.user, owner)
        assert caught.value.field == "photo"
        owner.refresh_from_db()
        assert not owner.photo
        assert not media_root.exists() or not any(media_root.rglob("*.*"))
        assert not AuditEvent.objects.exists()

    def test_a_refused_file_changes_nothing(self, owner, media_root):
        with pytest.raises(ProfileError):
            self.set_photo(owner.user, owner, b"not an image")
        owner.refresh_from_db()
        assert not owner.photo
        assert not AuditEvent.objects.exists()

    def test_removing_deletes_the_file(
        self, owner, media_root, django_capture_on_commit_callbacks
    ):
        self.set_photo(owner.user, owner)
        path = media_root / owner.photo.name

        with django_capture_on_commit_callbacks(execute=True):
            profile_remove_photo(actor=owner.user, profile=owner)

        owner.refresh_from_db()
        assert not owner.photo
        assert not path.exists()
        removal = AuditEvent.objects.filter(action="profile.update").first()
        assert removal.details["changes"]["photo"]["after"] is None

    def test_removing_no_photo_records_nothing(self, owner):
        profile_remove_photo(actor=owner.user, profile=owner)
        assert not AuditEvent.objects.exists()

    def test_a_colleague_may_not_remove_it(self, owner):
        self.set_photo(owner.user, owner)
        colleague = ProfileFactory(department=owner.department)
        with pytest.raises(ProfileError):
            profile_remove_photo(actor=colleague.user, profile=owner)
        owner.refresh_from_db()
        assert owner.photo
