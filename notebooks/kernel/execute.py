"""Execute one notebook with nbclient (the engine behind `jupyter nbconvert --execute`).

Unlike `nbconvert --execute`, this writes the executed notebook even when a cell fails, so the
runner (notebooks/kernel/runner.ts) can print the failing cell's stderr: tslab reports a cell
error as a bare "<Error>:" traceback and puts the message on stderr.

usage: python3 execute.py IN.ipynb OUT.ipynb TIMEOUT_S KERNEL_NAME
exit: 0 ok, 1 a cell raised, 3 a cell timed out, 4 the kernel died, 5 other failure
"""
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def main(argv):
    src, dst, timeout, kernel = argv[1:5]
    timeout = int(timeout)
    nb = nbformat.read(src, as_version=4)
    clear_outputs(nb)
    client = NotebookClient(
        nb,
        timeout=None if timeout <= 0 else timeout,
        kernel_name=kernel,
        record_timing=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}},
    )
    rc = 0
    status = "ok"
    error = None
    t0 = time.time()
    try:
        client.execute()
    except CellExecutionError as e:
        # details are in the notebook's outputs; the runner prints them, this line first (the
        # mixlab kernel puts the cell's "SomethingError: message" into the reply: launch.cjs)
        rc, status, error = 1, "error", f"{e.ename}: {e.evalue}"
    except CellTimeoutError as e:
        print(f"cell timed out after {timeout} s: {e}", file=sys.stderr)
        rc, status = 3, "timeout"
    except DeadKernelError as e:
        print(f"kernel died: {e}", file=sys.stderr)
        rc, status = 4, "dead-kernel"
    except Exception as e:  # noqa: BLE001 - report anything else with its type
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        rc, status = 5, "failed"
    # Record the outcome in the notebook itself, so a later check (test/notebooks) can tell a
    # failed cell from one that printed to stderr: tslab reports compile errors on stderr only.
    info = {"status": status, "seconds": round(time.time() - t0, 1), "profile": os.environ.get("MIXLAB_PROFILE", "ci")}
    if rc != 0:
        info["failed_cell"] = failed_cell(nb)
    if error:
        info["error"] = error
    nb.metadata["mixlab"] = info
    nbformat.write(nb, dst)
    return rc


def clear_outputs(nb):
    """Drop every code cell's committed outputs, execution count and execution metadata before
    running: a committed (executed) notebook otherwise keeps, in the cells after a failure, the
    outputs and `execute_reply` timestamps of its last good run, and `failed_cell` would point at
    a stale cell instead of the one that failed."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        cell.metadata.pop("execution", None)


def failed_cell(nb):
    """Index of the cell the run stopped at: the last code cell with an execute_reply, or (on a
    timeout) the first non-empty code cell without one."""
    last = None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        if "shell.execute_reply" in cell.metadata.get("execution", {}):
            last = i
        else:
            return i if last is None or was_sent(cell) else last
    return last


def was_sent(cell):
    # nbclient marks a cell it sent (busy) but never got a reply for
    return "iopub.status.busy" in cell.metadata.get("execution", {})


if __name__ == "__main__":
    sys.exit(main(sys.argv))
