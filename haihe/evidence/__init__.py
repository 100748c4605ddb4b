"""Evidence and documents: the files an application carries, one mechanism for every module.

A module declares its cases once (cases.register in its AppConfig.ready); the files are stored
through Django's storage API under random names, typed by their content (files.sniff), limited
by the dated parameters `evidence.max_bytes` and `evidence.media_types`, hashed (SHA-256), and
served only through the permission-checked download view (views.download)."""
