"""Reading an upload only after the permission check, and never keeping more of a file than the
limit allows.

A view that takes evidence is `csrf_exempt` on the outside: it checks who may attach to the case
first, then installs `CappedUploadHandler` in front of Django's handlers, and only then lets the
CSRF check (csrf_protect) and the form parsing read the body. The handler stops keeping a file
part as soon as it passes the limit (the rest of the part is read and discarded, never stored):
the file is missing from request.FILES and its field is in `too_large`."""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class CappedUploadHandler(FileUploadHandler):
    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_large: set[str] = set()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_large.add(self.field_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers (memory, temporary file) build the UploadedFile


def install(request, limit: int) -> CappedUploadHandler:
    """Put the cap in front of the request's upload handlers (before anything reads the body)."""
    handler = CappedUploadHandler(request, limit=limit)
    request.upload_handlers.insert(0, handler)
    return handler
