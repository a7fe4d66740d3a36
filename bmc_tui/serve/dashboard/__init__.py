"""The facilitator's dashboard: a small Textual app run as its own child process."""
