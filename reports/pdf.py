"""The board pack as PDF, converted by LibreOffice in headless mode when it is installed."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from settings import get_settings

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "PDF export needs LibreOffice. On Debian or Ubuntu: "
    "apt-get install --no-install-recommends libreoffice-impress "
    "(or point ALIGNBOARD_LIBREOFFICE_PATH at the libreoffice command). The PowerPoint file works without it."
)


class PdfUnavailable(RuntimeError):
    """LibreOffice is missing or could not convert the deck; the message says what to do."""


def libreoffice_command(path: str | None = None) -> str | None:
    """The full path of the LibreOffice command, or None when it is not installed."""
    return shutil.which(path or get_settings().libreoffice_path)


def pdf_available(path: str | None = None) -> bool:
    return libreoffice_command(path) is not None


def pptx_to_pdf(pptx: bytes, path: str | None = None, timeout: float = 120, profile: Path | None = None) -> bytes:
    """Convert a deck to PDF. Runs in a temporary folder that is also LibreOffice's HOME and, unless
    ``profile`` names one, its profile, so conversions never share (or lock) a user profile. A ``profile``
    kept between conversions saves LibreOffice setting one up each time; only one conversion may use it at once."""
    command = libreoffice_command(path)
    if command is None:
        raise PdfUnavailable(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="alignboard-pdf-") as folder:
        work = Path(folder)
        (work / "deck.pptx").write_bytes(pptx)
        installation = (profile or work / "profile").as_uri()
        args = [command, f"-env:UserInstallation={installation}", "--headless", "--norestore", "--nolockcheck",
                "--convert-to", "pdf", "--outdir", str(work), str(work / "deck.pptx")]
        try:
            result = subprocess.run(args, cwd=work, env=_environment(profile or work), capture_output=True,
                                    timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"LibreOffice took longer than {timeout:.0f} s to convert the deck.") from None
        output = work / "deck.pdf"
        if result.returncode != 0 or not output.exists():
            log.error("libreoffice failed (%s): %s", result.returncode, result.stderr.decode(errors="replace"))
            raise PdfUnavailable("LibreOffice could not convert the deck to PDF; the PowerPoint file is still fine.")
        return output.read_bytes()


def _environment(home: Path) -> dict[str, str]:
    return {**os.environ, "HOME": str(home)}
