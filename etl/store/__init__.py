"""Writing and publishing the warehouse: staged rows, idempotent loads, the writer lock and the atomic swap."""
