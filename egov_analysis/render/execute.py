"""Run a parameterized notebook with papermill, one fresh kernel per report.

Every way a run can fail (a cell raising, a cell running past the timeout, the kernel
dying, the kernel not starting) becomes one :class:`~egov_analysis.errors.RenderError`
that names the notebook, the cell and the exception. When the failure happened inside a
cell, the executed notebook is left at ``output_path`` with papermill's error marker cells,
so it can be kept for audit.
"""

from __future__ import annotations

import functools

from pathlib import Path

import nbformat

from egov_analysis.errors import RenderError

KERNEL_NAME = "egov-analysis"

_REGISTER_KERNEL = "python -m ipykernel install --sys-prefix --name {name}"


def execute_notebook(
    input_path: str | Path,
    output_path: str | Path,
    parameters: dict,
    *,
    timeout: int | None = 600,
    kernel_name: str = KERNEL_NAME,
    cwd: str | Path | None = None,
) -> nbformat.NotebookNode:
    """Execute ``input_path`` with ``parameters`` injected and save it to ``output_path``.

    ``timeout`` is per cell, in seconds (papermill/nbclient semantics); ``None`` waits forever.
    A new kernel is started for every call and shut down afterwards, so no state leaks from
    one report into the next. ``cwd`` is the kernel's working directory; note that papermill
    changes the *process* working directory while the notebook runs, so do not run two
    executions with ``cwd`` set in threads of one process (use worker processes).

    Raises :class:`RenderError` if anything fails. Besides ``where`` (the input notebook)
    and ``fix``, the error carries ``notebook``, ``output_path``, ``cell_index`` (0-based, in
    the executed notebook, counting papermill's injected-parameters cell), ``cell_line`` (first
    source line), ``ename`` and ``evalue``; the cell fields are None when no cell was at fault.

    Example::

        nb = execute_notebook("notebooks/province-report.ipynb",
                              "reports/bac-giang.ipynb", {"province": "Bắc Giang"})
    """
    input_path, output_path = Path(input_path), Path(output_path)
    if not input_path.is_file():
        raise _error(
            input_path,
            output_path,
            "notebook not found",
            fix="check the path; notebooks live in the project's notebooks/ folder",
        )
    output_path.parent.mkdir(parents=True, exist_ok=True)

    # papermill costs ~1.3 s to import; only pay it when a notebook actually runs.
    import papermill as pm
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from nbformat.reader import NotJSONError
    from papermill.exceptions import PapermillExecutionError

    try:
        return pm.execute_notebook(
            str(input_path),
            str(output_path),
            parameters=dict(parameters),
            kernel_name=kernel_name,
            execution_timeout=timeout,
            progress_bar=False,
            log_output=False,
            cwd=str(cwd) if cwd is not None else None,
            config=_kernel_config(),
            kernel_manager_class="egov_analysis.render.execute.QuietShutdownKernelManager",
        )
    except PapermillExecutionError as exc:
        raise _cell_error(input_path, output_path, exc) from exc
    except (CellTimeoutError, DeadKernelError) as exc:
        if isinstance(exc, CellTimeoutError):
            ename, evalue = "CellTimeoutError", f"the cell did not finish within {timeout} s"
        else:
            ename, evalue = "DeadKernelError", "the kernel died while running the cell"
        pm_error = _mark_interrupted_cell(output_path, ename, evalue)
        if pm_error is None:  # nothing was running: report it without a cell
            raise _error(
                input_path,
                output_path,
                f"{evalue} ({ename}); executed notebook: {output_path}",
                fix=_fix_for(ename, timeout),
                ename=ename,
                evalue=evalue,
            ) from exc
        raise _cell_error(input_path, output_path, pm_error, timeout=timeout) from exc
    except NoSuchKernel:
        raise _error(
            input_path,
            output_path,
            f"Jupyter kernel {kernel_name!r} is not registered",
            fix=f"register it once per environment: {_REGISTER_KERNEL.format(name=kernel_name)}",
        ) from None
    except NotJSONError as exc:
        raise _error(
            input_path,
            output_path,
            f"not a readable notebook: {exc}",
            fix="open it in JupyterLab and save it again, or restore it from git",
        ) from exc
    except RuntimeError as exc:
        # jupyter_client raises RuntimeError("Kernel didn't respond in N seconds").
        if "kernel" not in str(exc).lower():
            raise
        raise _error(
            input_path,
            output_path,
            f"kernel {kernel_name!r} did not start: {exc}",
            fix="check the kernel's stderr above for the cause; if its Python moved, "
            f"re-register it: {_REGISTER_KERNEL.format(name=kernel_name)}",
        ) from exc


@functools.cache
def _quiet_shutdown_manager():
    from jupyter_client.manager import AsyncKernelManager

    class QuietShutdownKernelManager(AsyncKernelManager):
        """jupyter_client interrupts a kernel before shutting it down; an idle ipykernel then logs
        "ERROR | KeyboardInterrupt caught in kernel" into every unattended build's log. At
        shutdown the interrupt is skipped: the shutdown request, then SIGTERM/SIGKILL after the
        grace period, still stop a kernel that is busy (a cell past its timeout)."""

        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

        interrupt_kernel = _async_interrupt_kernel  # nbclient awaits either name

    return QuietShutdownKernelManager


def __getattr__(name: str):  # imported by name by nbclient; jupyter_client is imported only then
    if name == "QuietShutdownKernelManager":
        return _quiet_shutdown_manager()
    raise AttributeError(name)


def _kernel_config():
    """Encrypt kernel traffic when pyzmq can (CurveZMQ keys provisioned by jupyter_client).

    Besides the security, this silences ipykernel's "running over TCP without encryption"
    warning, printed once per report otherwise.
    """
    import zmq
    from traitlets.config import Config

    policy = "auto" if zmq.has("curve") else "disabled"
    return Config({"KernelManager": {"transport_encryption": policy}})


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            return line.strip()
    return "<empty cell>"


def _fix_for(ename: str, timeout: int | None) -> str:
    if ename == "CellTimeoutError":
        return (
            f"make the cell faster, or raise the per-cell timeout (now {timeout} s) "
            "given to execute_notebook"
        )
    if ename == "DeadKernelError":
        return (
            "the kernel process exited (out of memory, a crash in native code, or os._exit); "
            "run the notebook in JupyterLab with the same parameters to reproduce"
        )
    return (
        "open the executed notebook to read the full traceback, fix the notebook or its "
        "inputs, then rebuild"
    )


def _fix_from_evalue(evalue: str) -> str | None:
    """The fix an egov_analysis error raised inside the notebook already states (its "fix:" line)."""
    for line in evalue.splitlines():
        if line.strip().startswith("fix:"):
            return line.strip()[4:].strip()
    return None


def _cell_error(input_path: Path, output_path: Path, exc, *, timeout: int | None = None) -> RenderError:
    line = _first_line(exc.source)
    count = exc.exec_count if exc.exec_count is not None else " "
    evalue = str(exc.evalue).strip().splitlines()[0] if str(exc.evalue).strip() else ""
    exception_line = f"{exc.ename}: {evalue}" if evalue else exc.ename
    return _error(
        input_path,
        output_path,
        f"cell {exc.cell_index} (In [{count}]) `{line}` failed: {exception_line}; "
        f"executed notebook with the error: {output_path}",
        fix=_fix_from_evalue(str(exc.evalue)) or _fix_for(exc.ename, timeout),
        cell_index=exc.cell_index,
        cell_line=line,
        ename=exc.ename,
        evalue=exc.evalue,
    )


def _error(
    input_path: Path,
    output_path: Path,
    message: str,
    *,
    fix: str,
    cell_index: int | None = None,
    cell_line: str | None = None,
    ename: str | None = None,
    evalue: str | None = None,
) -> RenderError:
    """A RenderError with the same attributes whatever went wrong, for callers to inspect."""
    err = RenderError(message, where=input_path, fix=fix)
    err.notebook = str(input_path)
    err.output_path = str(output_path)
    err.cell_index = cell_index
    err.cell_line = cell_line
    err.ename = ename
    err.evalue = evalue
    return err


def _mark_interrupted_cell(output_path: Path, ename: str, evalue: str):
    """Turn a timeout or dead kernel into papermill's usual error notebook.

    nbclient raises these past papermill's cell loop, so papermill saves the notebook
    without marking the cell. The cell that was running is the last one with a start time;
    give it an error output and let papermill add its marker cells and write the file.
    Returns the ``PapermillExecutionError`` papermill raises, or None if no cell started.
    """
    from papermill.exceptions import PapermillExecutionError
    from papermill.execute import raise_for_execution_errors

    if not output_path.exists():
        return None
    nb = nbformat.read(output_path, as_version=4)
    started = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    if not started:
        return None
    index = started[-1]
    cell = nb.cells[index]
    cell.metadata.papermill["status"] = "failed"
    cell.metadata.papermill["exception"] = True
    nb.metadata.setdefault("papermill", {})["exception"] = True
    # Cells after the interrupted one never ran; papermill marked them "completed".
    for later in nb.cells[index + 1 :]:
        later.metadata.get("papermill", {})["status"] = "pending"
    if cell.cell_type == "code":
        # Shutting the busy kernel down may have added a KeyboardInterrupt; the cause is ours.
        cell.outputs = [o for o in cell.outputs if o.output_type != "error"]
        cell.outputs.append(
            nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])
        )
    try:
        raise_for_execution_errors(nb, str(output_path))
    except PapermillExecutionError as exc:
        return exc
    return None
