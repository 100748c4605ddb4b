"""xAPI 1.0.3 learning record store, mounted at /xapi/."""

urlpatterns: list = []
