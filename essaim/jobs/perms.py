"""Who may see the background tasks. Plain functions; each docstring gives the business reason."""


def can_manage_jobs(user) -> bool:
    """The failed tasks of the whole site (mails not sent, reminders not made) concern every territory at once and
    their errors are technical: the network admin, who runs the platform, sees them and relaunches them; a
    territory's staff does not."""
    return bool(user.is_authenticated and user.is_active and user.is_network_admin)
