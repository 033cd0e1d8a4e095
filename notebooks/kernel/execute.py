"""Execute one notebook with nbclient (the engine behind `jupyter nbconvert --execute`).

Unlike `nbconvert --execute`, this writes the executed notebook even when a cell fails, so the
runner (notebooks/kernel/runner.ts) can print the failing cell's stderr: tslab reports a cell
error as a bare "<Error>:" traceback and puts the message on stderr.

usage: python3 execute.py IN.ipynb OUT.ipynb TIMEOUT_S KERNEL_NAME
exit: 0 ok, 1 a cell raised, 3 a cell timed out, 4 the kernel died, 5 other failure
"""
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def main(argv):
    src, dst, timeout, kernel = argv[1:5]
    timeout = int(timeout)
    nb = nbformat.read(src, as_version=4)
    client = NotebookClient(
        nb,
        timeout=None if timeout <= 0 else timeout,
        kernel_name=kernel,
        record_timing=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}},
    )
    rc = 0
    try:
        client.execute()
    except CellExecutionError:
        rc = 1  # details are in the notebook's outputs; the runner prints them
    except CellTimeoutError as e:
        print(f"cell timed out after {timeout} s: {e}", file=sys.stderr)
        rc = 3
    except DeadKernelError as e:
        print(f"kernel died: {e}", file=sys.stderr)
        rc = 4
    except Exception as e:  # noqa: BLE001 - report anything else with its type
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        rc = 5
    nbformat.write(nb, dst)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
