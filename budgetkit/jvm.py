"""Whether Java can start here, asked of a separate process before the JVM starts in ours.

tabula-py runs its JVM inside the Python process (jpype). When that JVM cannot start — too
little memory under a ``ulimit -v``, a broken Java install — the JVM ends the *whole process*
(``Error occurred during initialization of VM``), taking every other document of the command
with it. :func:`java_start_problem` starts ``java -version`` with the same options in a child
process, under the address-space room our process would leave it, so a JVM that would fail
fails there: the reader then says so once and reads PDFs with pdfplumber instead.
"""

from __future__ import annotations

import functools
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

#: The options the in-process JVM is started with (budgetkit.sources.pdf) and probed with.
#: Serial GC and the quick C1 compiler: one short-lived JVM per worker on a small machine spends
#: less on background threads (≈1.7× batch throughput with 2 workers on 2 cores). A bounded heap
#: and class space: by default the JVM reserves a quarter of the machine's memory plus 1 GB of
#: address space, which under a memory limit leaves too little for the Python side (a worker
#: peaks at 370–700 MB in all). A JVM that dies writes its report to the temporary folder, not to
#: the user's working folder.
JAVA_OPTIONS = [
    "-Djava.awt.headless=true", "-Dfile.encoding=UTF8", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
    "-Xmx1g", "-XX:CompressedClassSpaceSize=128m", f"-XX:ErrorFile={tempfile.gettempdir()}/budgetkit-hs_err_%p.log",
]

#: Address space kept back for what our process maps between the probe and the JVM start.
JVM_MARGIN_BYTES = 1024 * 1024 * 1024

_told = False


def java_executable() -> str | None:
    """``$JAVA_HOME/bin/java`` or ``java`` on the PATH, else ``None``."""
    home = os.environ.get("JAVA_HOME")
    if home and Path(home, "bin", "java").exists():
        return str(Path(home, "bin", "java"))
    return shutil.which("java")


@functools.cache
def java_start_problem() -> str | None:
    """Why a JVM cannot start in this process (``None`` when it can). Asked once per process.

    The child gets the address space this process has left under its limit (``RLIMIT_AS``):
    the in-process JVM would share ours.
    """
    java = java_executable()
    if java is None:
        return "Java was not found (install it: `apt-get install default-jre` or `conda install openjdk`)"
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    room = None
    if soft != resource.RLIM_INFINITY:
        # Less a margin: by the time the JVM starts in our process, PDF libraries and threads
        # have mapped more (measured: a probe with the bare difference passed at 3.5 GB and the
        # in-process JVM then failed).
        room = max(soft - _address_space_used() - JVM_MARGIN_BYTES, 64 * 1024 * 1024)

    def limit() -> None:  # in the child, before exec
        if room is not None:
            resource.setrlimit(resource.RLIMIT_AS, (room, hard))

    with tempfile.TemporaryDirectory(prefix="budgetkit-java-") as scratch:
        # A JVM that dies writes hs_err_pid*.log into its working folder: keep it out of the user's.
        command = [java, *JAVA_OPTIONS[:-1], f"-XX:ErrorFile={scratch}/hs_err_%p.log", "-version"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=60, preexec_fn=limit, cwd=scratch)
        except (OSError, subprocess.SubprocessError) as exc:
            return f"Java could not be run ({exc})"
    if done.returncode == 0:
        return None
    lines = [line.strip() for line in (done.stderr + done.stdout).splitlines() if line.strip() and not line.startswith("#")]
    detail = "; ".join(lines[:2]) or f"exit code {done.returncode}"
    return f"the Java VM cannot start here ({detail})"


def _address_space_used() -> int:
    """Bytes of address space this process maps now (``VmSize``)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tell_once(message: str) -> None:
    """Print ``message`` on stderr the first time only (one line per process, not one per document)."""
    global _told
    if not _told:
        _told = True
        print(f"budgetkit: {message}", file=sys.stderr)
