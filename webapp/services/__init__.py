"""Use cases over the database, called by views, the API, jobs and the CLI."""
