"""Network shares are recognised from UNC paths and from the mount table (injected here)."""

import pytest

from sencodesk.safety.location import (
    Mount,
    mount_of,
    network_share_reason,
    parse_mount_table,
    unc_share,
)

PROC_MOUNTS = """\
/dev/nvme0n1p2 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
tmpfs /run tmpfs rw,nosuid,nodev 0 0
//fileserver/staff /mnt/staff cifs rw,relatime,vers=3.1.1 0 0
fileserver:/export/senco /mnt/senco nfs4 rw,relatime 0 0
/dev/sdb1 /mnt/senco/local-cache ext4 rw 0 0
jo@host:/home/jo /home/jo/remote fuse.sshfs rw,nosuid 0 0
C:\\134 /mnt/c 9p rw,noatime 0 0
/dev/sdc1 /media/My\\040Stick vfat rw 0 0
"""

MAC_MOUNT = """\
/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)
//jo@nas._smb._tcp.local/Senco on /Volumes/Senco (smbfs, nodev, nosuid, mounted by jo)
/dev/disk4s1 on /Volumes/USB STICK (msdos, local, nodev, nosuid, noowners)
"""


def reason(path, table=PROC_MOUNTS, platform="linux"):
    return network_share_reason(path, mount_table=lambda: table, platform=platform)


@pytest.mark.parametrize(
    "path, share",
    [
        (r"\\fileserver\staff\senco\school.db", r"\\fileserver\staff"),
        ("//fileserver/staff/school.db", r"\\fileserver\staff"),
        (r"\\?\UNC\nas01\senco$\school.db", r"\\nas01\senco$"),
        (r"\\server", r"\\server"),
    ],
)
def test_unc_paths(path, share):
    assert unc_share(path) == share
    for platform in ("linux", "win32", "darwin"):
        assert share in network_share_reason(path, mount_table=lambda: "", platform=platform)


@pytest.mark.parametrize(
    "path",
    [
        r"C:\Users\senco\school.db",
        r"\\?\C:\Users\school.db",
        r"\\.\PhysicalDrive0",
        "/home/senco/school.db",
        "school.db",
    ],
)
def test_not_unc(path):
    assert unc_share(path) is None


def test_linux_mount_table():
    assert "Windows (SMB) network share (//fileserver/staff) mounted at /mnt/staff" in reason(
        "/mnt/staff/senco/school.db"
    )
    assert "NFS" in reason("/mnt/senco/school.db")
    assert "sshfs" in reason("/home/jo/remote/school.db")
    assert "9p" in reason("/mnt/c/Users/senco/school.db")


def test_longest_mount_prefix_wins():
    # A local disk mounted inside a network share is local.
    assert reason("/mnt/senco/local-cache/school.db") is None
    # A name that merely starts like a mount point is not inside it.
    assert reason("/mnt/staffroom/school.db") is None


def test_local_paths_and_escaped_spaces():
    assert reason("/home/senco/school.db") is None
    assert reason("/media/My Stick/school.db") is None
    points = [m.point for m in parse_mount_table(PROC_MOUNTS)]
    assert "/media/My Stick" in points


def test_macos_mount_output():
    assert "SMB" in reason("/Volumes/Senco/school.db", MAC_MOUNT, "darwin")
    assert reason("/Volumes/USB STICK/school.db", MAC_MOUNT, "darwin") is None
    assert reason("/Users/jo/school.db", MAC_MOUNT, "darwin") is None


def test_unreadable_mount_table_means_local():
    assert reason("/mnt/staff/school.db", "") is None


def test_mount_of_root():
    mounts = [Mount("/", "ext4"), Mount("/mnt", "nfs")]
    assert mount_of("/mnt/x", mounts).fstype == "nfs"
    assert mount_of("/mntx", mounts).fstype == "ext4"
