class ConflictError(Exception):
    """Someone saved the object since this form was opened (optimistic locking)."""
