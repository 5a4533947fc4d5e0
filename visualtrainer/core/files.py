"""Files opened and written safely: only regular files are read, and every save replaces its file atomically.

``atomic_write`` writes a temporary file in the same folder, flushes and syncs it, then renames it over the target,
so a crash, a kill or a full disk leaves the previous file whole. Each save notes its temporary in a journal (a
folder in the user's cache); the next start of the window or the command line removes the temporaries of saves whose
process died (``remove_temporaries_of_crashes``), and the next save into a folder removes any left there.
``open_regular`` opens only regular files: a FIFO (which would wait forever for a writer), a device or a socket is
refused with one sentence, before it is opened.
"""

import errno
import os
import secrets
import stat
from pathlib import Path

_TEMP_SUFFIX = ".vt-tmp"
#: Where saves in progress note their temporaries: one small file each, named <pid>.<random>, holding the path.
JOURNAL = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "visualtrainer" / "saving"


class FileError(ValueError):
    """A file that cannot be read as asked: missing, not a regular file, of another kind, newer, damaged, too big."""


def _file_kind(mode):
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a special file"


def open_regular(path, what="file", error=FileError):
    """``path`` opened for reading in binary, when it is a regular file (symbolic links followed); else ``error``.

    A FIFO, a device or a socket is refused without being opened (opening a FIFO waits for a writer forever), a
    folder is named as one, and a symbolic link that loops gets a message of its own.
    """
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags) if stat.S_ISREG(mode) else None
    except FileNotFoundError:
        raise error(f"{path}: no such file.") from None
    except PermissionError:
        raise error(f"{path}: cannot be read (permission denied).") from None
    except OSError as problem:
        if problem.errno == errno.ELOOP:
            raise error(f"{path}: a symbolic link that loops; give the path of a {what}.") from None
        raise error(f"{path}: cannot be read ({problem.strerror or problem}).") from None
    except ValueError:  # a NUL character in the path
        raise error(f"{path!r}: not a valid path.") from None
    if fd is None:
        if stat.S_ISDIR(mode):
            raise error(f"{path}: is a folder; give the path of a {what}.")
        raise error(f"{path}: {_file_kind(mode)}, not a regular file; give the path of a {what}.")
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for something else since the check
        os.close(fd)
        raise error(f"{path}: not a regular file; give the path of a {what}.")
    return os.fdopen(fd, "rb")


def _pid_alive(pid):
    if os.name != "posix":  # os.kill(pid, 0) would signal the process there: count every one as alive
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid > 0
    return True


def _temp_of_dead_process(name):
    """Whether ``name`` is one of our temporaries, ``.<file>.<pid>.<random>.vt-tmp``, of a process that died."""
    if not (name.startswith(".") and name.endswith(_TEMP_SUFFIX)):
        return False
    parts = name[: -len(_TEMP_SUFFIX)].rsplit(".", 2)
    return len(parts) == 3 and parts[1].isdigit() and not _pid_alive(int(parts[1]))


def _note(temp):
    """Note a save through ``temp`` in the journal; returns the note (None where the journal cannot be written: the
    save goes on, and the next save into its folder still cleans up)."""
    pid, token = temp.name[: -len(_TEMP_SUFFIX)].rsplit(".", 2)[1:]
    note = JOURNAL / f"{pid}.{token}"
    try:
        JOURNAL.mkdir(parents=True, exist_ok=True)
        note.write_text(str(temp.absolute()), encoding="utf-8")
    except OSError:
        return None
    return note


def remove_temporaries_of_crashes(journal=None):
    """At a start: delete the temporaries that the journal names whose saving process died (a kill, a crash, a
    power cut), and their notes. A note whose path is not one of our temporaries is only dropped. Returns the
    paths deleted."""
    journal = Path(journal or JOURNAL)
    removed = []
    try:
        notes = [entry for entry in os.scandir(journal) if entry.is_file(follow_symlinks=False)]
    except OSError:
        return removed
    for entry in notes:
        pid = entry.name.split(".", 1)[0]
        if not pid.isdigit() or _pid_alive(int(pid)):
            continue
        try:
            with open(entry.path, encoding="utf-8") as handle:
                temp = Path(handle.read(4096).strip())
        except (OSError, UnicodeDecodeError):
            temp = None
        if temp is not None and temp.is_absolute() and _temp_of_dead_process(temp.name) \
                and temp.name.rsplit(".", 3)[-3] == pid:
            try:
                os.unlink(temp)
                removed.append(temp)
            except FileNotFoundError:
                pass
            except OSError:
                continue  # left for a later start, with its note
        try:
            os.unlink(entry.path)
        except OSError:
            pass
    return removed


def remove_stale_temporaries(folder, legacy=None):
    """Delete the temporaries that saves into ``folder`` left behind when their process died (killed mid-save).

    Ours are named ``.<file>.<pid>.<random>.vt-tmp``; one whose process still runs is another save in progress and
    is left alone. ``legacy``, the ``<file>.part`` an earlier version wrote the same file through, goes too.
    """
    try:
        names = [entry.name for entry in os.scandir(folder)]
    except OSError:
        return
    for name in names:
        if _temp_of_dead_process(name) or name == legacy:
            try:
                os.unlink(os.path.join(folder, name))
            except OSError:
                pass


def _umask():
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def atomic_write(path, write):
    """Call ``write(handle)`` on a temporary file beside ``path``, sync it and rename it to ``path``.

    Until the rename, ``path`` keeps its previous content whole, whatever happens (an exception, a kill, a power
    cut after the sync); on an exception the temporary is removed and the exception goes on. A path that is a
    symbolic link is written through: the file it points to is replaced. Returns ``path`` as a Path.
    """
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent
    remove_stale_temporaries(folder, legacy=f"{target.name}.part")
    temp = folder / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{_TEMP_SUFFIX}"
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = 0o666 & ~_umask()
    note = _note(temp)
    try:
        with open(temp, "xb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException as error:
        temp.unlink(missing_ok=True)
        if isinstance(error, OSError) and error.filename == str(temp):  # name the file asked for, not ours
            raise type(error)(error.errno, error.strerror, str(path)) from None
        raise
    finally:
        if note is not None:
            note.unlink(missing_ok=True)
    try:  # the rename itself survives a power cut once the folder is synced
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass
    return path
