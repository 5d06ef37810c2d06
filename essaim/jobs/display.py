"""How a task shows on the back-office page, without personal data: its arguments are masked except numbers,
booleans and short internal codes (an e-mail, a name or a mail body never shows), and its error is the exception's
class and first line with e-mail addresses masked (the whole traceback is in the worker's logs)."""

import re

CODE = re.compile(r"^[a-z0-9_-]{1,32}$")
EMAIL = re.compile(r"[^\s@<>\"'(),;:]+@[^\s@<>\"'(),;:]+")
MAX_ERROR = 300


def masked_value(value) -> str:
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    if isinstance(value, str):
        return repr(value) if CODE.match(value) else f"texte masqué ({len(value)} caractères)"
    if isinstance(value, list | tuple):
        return f"liste de {len(value)} élément(s)"
    if isinstance(value, dict):
        return f"objet de {len(value)} clé(s)"
    return "valeur masquée"


def masked_arguments(job) -> str:
    """``3, 'confirmed', site_url=texte masqué (22 caractères)``: what a network admin may read of a task's call."""
    parts = [masked_value(value) for value in job.args]
    parts += [f"{key}={masked_value(value)}" for key, value in sorted(job.kwargs.items())]
    return ", ".join(parts)


def error_summary(job) -> str:
    """The last error: ``ExceptionClass : its message`` (last line of the traceback), e-mail addresses masked."""
    error = job.last_error
    if not error:
        return ""
    lines = [line for line in error.get("traceback", "").strip().splitlines() if line.strip()]
    summary = lines[-1].strip() if lines else error.get("exception_class_path", "")
    summary = EMAIL.sub("[adresse masquée]", summary)
    return summary if len(summary) <= MAX_ERROR else summary[: MAX_ERROR - 1] + "…"
