"""Is a database file on a network share? SQLite's locking breaks there and data is lost.

``network_share_reason(path)`` says why in words, or returns None for a local disk. The mount
table reader and the platform are parameters so that tests can give their own.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

NETWORK_FS = {
    "nfs": "an NFS network share",
    "nfs4": "an NFS network share",
    "cifs": "a Windows (SMB) network share",
    "smb3": "a Windows (SMB) network share",
    "smb2": "a Windows (SMB) network share",
    "smbfs": "a Windows (SMB) network share",
    "fuse.smbnetfs": "a Windows (SMB) network share",
    "afpfs": "an Apple (AFP) network share",
    "afs": "an AFS network share",
    "fuse.sshfs": "an SSH (sshfs) network folder",
    "sshfs": "an SSH (sshfs) network folder",
    "davfs": "a WebDAV network folder",
    "fuse.davfs2": "a WebDAV network folder",
    "webdav": "a WebDAV network folder",
    "fuse.rclone": "a cloud (rclone) network folder",
    "glusterfs": "a GlusterFS network share",
    "fuse.glusterfs": "a GlusterFS network share",
    "ceph": "a Ceph network share",
    "9p": "a 9p shared folder (e.g. a Windows drive seen from WSL, or a VM share)",
}

DRIVE_REMOTE = 4  # GetDriveTypeW


@dataclass(frozen=True)
class Mount:
    point: str
    fstype: str
    source: str = ""


def unc_share(path: str) -> str | None:
    r"""``\\server\share`` (or ``//server/share``, ``\\?\UNC\server\share``) of a UNC path."""
    s = path.replace("/", "\\")
    if s.lower().startswith("\\\\?\\unc\\"):
        s = "\\\\" + s[8:]
    elif s.startswith(("\\\\?\\", "\\\\.\\")):
        return None  # a local long path or a device
    if not s.startswith("\\\\") or s.startswith("\\\\\\"):
        return None
    parts = [p for p in s[2:].split("\\") if p]
    if not parts:
        return None
    return "\\\\" + "\\".join(parts[:2])


def parse_mount_table(text: str) -> list[Mount]:
    """Lines of /proc/mounts ("src point type opts 0 0") or of BSD/macOS ``mount`` output
    ("src on point (type, opts)")."""
    mounts: list[Mount] = []
    for line in text.splitlines():
        bsd = re.match(r"^(.*?) on (.*) \(([^,)]+)[,)]", line)
        if bsd:
            mounts.append(Mount(bsd.group(2), bsd.group(3).strip().lower(), bsd.group(1)))
            continue
        fields = line.split()
        if len(fields) >= 3:
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[1])
            mounts.append(Mount(point, fields[2].lower(), fields[0]))
    return mounts


def read_mount_table() -> str:
    """The system's mount table as text ("" if it cannot be read)."""
    try:
        if sys.platform.startswith("linux"):
            return Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        if sys.platform == "darwin" or "bsd" in sys.platform:
            return subprocess.run(
                ["/sbin/mount"], capture_output=True, text=True, timeout=5, check=False
            ).stdout
    except (OSError, subprocess.SubprocessError):
        pass
    return ""


def mount_of(path: str, mounts: list[Mount]) -> Mount | None:
    """The mount with the longest mount point that contains ``path``."""
    best: Mount | None = None
    for m in mounts:
        point = m.point.rstrip("/") or "/"
        inside = path == point or path.startswith(point if point == "/" else point + "/")
        if inside and (best is None or len(point) > len(best.point.rstrip("/") or "/")):
            best = m
    return best


def network_share_reason(
    path: str | Path, *, mount_table: Callable[[], str] | None = None, platform: str | None = None
) -> str | None:
    """Why ``path`` is on a network share ("on the network share \\\\srv\\staff"), or None.

    ``mount_table`` returns the text of a mount table (default: ``read_mount_table``).
    """
    raw = str(path)
    share = unc_share(raw)
    if share:
        return f"on the network share {share}"
    platform = platform or sys.platform
    if platform == "win32":
        return _windows_reason(raw)
    full = os.path.realpath(raw) if platform == sys.platform else os.path.normpath(raw)
    m = mount_of(full, parse_mount_table((mount_table or read_mount_table)()))
    if m is not None:
        kind = NETWORK_FS.get(m.fstype)
        if kind is None and m.fstype.startswith(("nfs", "smb")):
            kind = "a network share"
        if kind:
            where = f" ({m.source})" if m.source and m.source not in ("none", m.fstype) else ""
            return f"on {kind}{where} mounted at {m.point}"
    return None


def _windows_reason(raw: str) -> str | None:  # pragma: no cover - Windows only
    if sys.platform != "win32":
        return None
    import ctypes

    full = os.path.abspath(raw)
    share = unc_share(full)
    if share:
        return f"on the network share {share}"
    drive = os.path.splitdrive(full)[0]
    if not drive:
        return None
    if ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE:
        return f"on the network drive {drive}"
    return None
