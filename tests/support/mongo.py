"""What a test counts of the MongoDB commands its client sends."""

from pymongo import monitoring


class CommandCounter(monitoring.CommandListener):
    """The names of the commands sent, in order (pass it as an event listener)."""

    def __init__(self, only: tuple[str, ...] = ()) -> None:
        self.only = only
        self.names: list[str] = []

    def started(self, event) -> None:
        if not self.only or event.command_name in self.only:
            self.names.append(event.command_name)

    def succeeded(self, event) -> None:
        pass

    def failed(self, event) -> None:
        pass
