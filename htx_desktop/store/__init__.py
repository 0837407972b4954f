"""The store: typed models, engine set-up, migrations, queries, backup and restore."""
