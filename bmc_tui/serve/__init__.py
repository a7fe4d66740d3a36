"""`bmc-tui serve`: live workshops over SSH, one child process per participant.

The server process never imports Textual: each participant (and the facilitator's
dashboard) runs as its own process under its own PTY, and the server only pumps bytes.
The session files and the room file are what the processes share.
"""
