"""Web sources: fetching a source's new releases politely, reading their pages, and the archive of what was fetched."""
